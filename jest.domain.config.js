/**
 * The domain's unit specs only (libs/domain/**\/*.spec.ts), for mutation testing (npm run test:mutation).
 * They are pure: no database, so no global set-up. See docs/mutation-testing.md.
 */
const base = require('./jest.config.js');

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  moduleFileExtensions: base.moduleFileExtensions,
  moduleNameMapper: base.moduleNameMapper,
  testMatch: ['<rootDir>/libs/domain/**/*.spec.ts'],
};
