// ESLint 9 flat config: @eslint/js and typescript-eslint recommended, then eslint-config-prettier last
// so that no stylistic rule fights Prettier. Layer rules are checked by dependency-cruiser
// (.dependency-cruiser.cjs). See docs/operations/code-style.md.
//
// Not type-checked: typescript-eslint's recommendedTypeChecked took 60 s of CPU and 2 GB of memory
// for a full run here (15 s and 450 MB without), and even no-floating-promises / no-misused-promises /
// await-thenable alone took 53 s and found no bug. Revisit when the lint run can afford it.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/', 'test/contract-client/openapi.d.ts', '.data/', 'reports/', '.stryker-tmp*/'],
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain CommonJS/ESM scripts (jest configs, the CLI launcher, the container health check).
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
