/** How global setup hands the test database server to the test files. */
export const TEST_ENV = { serverUrl: 'TSUNAGI_TEST_SERVER_URL', template: 'TSUNAGI_TEST_TEMPLATE' } as const;
