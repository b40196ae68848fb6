/**
 * Fault-injection suite (npm run test:faults): API processes (node dist/apps/api/src/main.js)
 * on a PostgreSQL of the suite's own, killed and restarted. One file at a time: a case stops
 * and starts its database server and spawns processes, on a small machine.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 180000,
  maxWorkers: 1,
};
