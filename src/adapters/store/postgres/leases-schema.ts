/**
 * PostgreSQL migration 3: the leases (postgres/leases.ts) and keyv's short-lived keys (postgres/kv.ts),
 * for a deployment with DATABASE_URL and no Redis. Times are the database's own (TIMESTAMPTZ),
 * compared with its clock, which every process on every machine shares.
 */
export const leaseTables = `
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL
  );
  CREATE INDEX leases_holder ON leases (holder);

  -- keyv's entries: value in keyv's own serialized form; expires_at NULL for an entry that never expires.
  CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires_at TIMESTAMPTZ
  );
`;
