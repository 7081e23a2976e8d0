/**
 * The first administrator every test desk is set up with (issue 13): `setup.complete` needs one,
 * and the end-to-end tests log in as them. The name matches the built-in operator's, so the
 * audit entries tests read still say "Administrator".
 */
export const TEST_ADMIN_LOGIN = 'admin'
export const TEST_ADMIN_PASSWORD = 'counter-test-pass'
export const TEST_ADMIN = { adminLogin: TEST_ADMIN_LOGIN, adminName: 'Administrator', adminPassword: TEST_ADMIN_PASSWORD } as const
/** A cheap KDF cost for test desks (hashes carry their own parameters; production uses DEFAULT_KDF). */
export const TEST_KDF = { N: 1024, r: 8, p: 1 } as const
