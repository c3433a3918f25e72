/** Tests run against real PostgreSQL: embedded by default, DATABASE_URL when set (see test/support). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // A handle something left open (a connection, a timer) must not hold CI until its cut-off once the
  // results are in: the run exits after its teardown, and a failing suite still fails it.
  forceExit: true,
};
