/** How global setup hands the test database server to the test files. */
export const TEST_ENV = {
  /** A superuser's connection to the server. */
  serverUrl: 'TSUNAGI_TEST_SERVER_URL',
  /** The migrated, seeded database each test file clones. */
  template: 'TSUNAGI_TEST_TEMPLATE',
  /** This run's login for the app under test, and its owner (their database is replaced by the file's own). */
  loginUrl: 'TSUNAGI_TEST_LOGIN_URL',
  ownerUrl: 'TSUNAGI_TEST_OWNER_URL',
  /** This run's owner and login role names, as JSON (dropped at teardown). */
  roles: 'TSUNAGI_TEST_ROLES',
} as const;
