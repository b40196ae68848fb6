/**
 * The pure tests that guard the access rules, for mutation testing (npm run test:mutation):
 * the domain's specs and the model-based test. They need no database, so no global set-up.
 */
const base = require('./jest.config.js');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  moduleFileExtensions: base.moduleFileExtensions,
  moduleNameMapper: base.moduleNameMapper,
  testMatch: ['<rootDir>/libs/domain/**/*.spec.ts', '<rootDir>/test/model/**/*.spec.ts'],
};
