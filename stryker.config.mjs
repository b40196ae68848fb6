// StrykerJS 9.6 (the last line that runs on Node 20) over the pure domain, libs/domain.
// npm run test:mutation; one file: npm run test:mutation -- --mutate libs/domain/src/family/appeals.decide.ts
// How the score is counted (all mutants, and the logic-changing ones): docs/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'jest.domain.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'libs/domain/src/**/*.ts',
    '!libs/domain/src/**/*.spec.ts',
    '!libs/domain/src/testing/**',
    '!libs/domain/src/**/testing/**',
    '!libs/domain/src/index.ts',
  ],
  // String literals are not mutated: in the domain nearly all are refusal messages and field names, and they
  // doubled the run on a shared 2-core machine. scripts/mutation-score.mjs counts the rest into all mutants
  // and the logic-changing ones (object/array literals of a refusal's details are not). See docs/mutation-testing.md.
  mutator: { excludedMutations: ['StringLiteral'] },
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
