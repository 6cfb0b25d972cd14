/**
 * Subscription options added with issue 16 (following the discussions of the articles a
 * subscription delivers), for both backends. Until it is written, each is a statement that changes nothing.
 */
export const sqliteSubscriptionOptions = `SELECT 1;`;
export const postgresSubscriptionOptions = `SELECT 1;`;
