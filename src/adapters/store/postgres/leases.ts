/**
 * Leases in PostgreSQL's `leases` table (leases-schema.ts): the same contract as SQLite's
 * (../leases.ts), timed by the database's clock, not the caller's. Processes on several machines
 * share the one database and so one clock; a machine whose clock runs ahead could otherwise take a
 * lease that has not expired. `statement_timestamp()` rather than `now()`: the time of this
 * statement, even inside a longer transaction.
 */
import { checkLeaseArgs, type Lease, type LeaseRepository } from '../leases.ts';
import type { Pool } from './pool.ts';

const EXPIRY = `statement_timestamp() + $3::double precision * interval '1 millisecond'`;

// One statement: PostgreSQL locks the row it conflicts with and checks the WHERE against the newest
// version, so of several claims at once exactly one inserts or updates.
const CLAIM = `
  INSERT INTO leases (name, holder, expires_at, claimed_at) VALUES ($1, $2, ${EXPIRY}, statement_timestamp())
  ON CONFLICT (name) DO UPDATE SET
    holder = excluded.holder,
    expires_at = excluded.expires_at,
    claimed_at = CASE WHEN leases.holder = excluded.holder THEN leases.claimed_at ELSE excluded.claimed_at END
  WHERE leases.expires_at <= statement_timestamp() OR leases.holder = excluded.holder`;

export class PostgresLeaseRepository implements LeaseRepository {
  constructor(private readonly pool: Pool) {}

  async claim(name: string, holder: string, ttlMs: number): Promise<boolean> {
    checkLeaseArgs(name, holder, ttlMs);
    const result = await this.pool.query(CLAIM, [name, holder, ttlMs]);
    return result.rowCount === 1;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    checkLeaseArgs(name, holder, ttlMs);
    const result = await this.pool.query(`UPDATE leases SET expires_at = ${EXPIRY} WHERE name = $1 AND holder = $2`, [name, holder, ttlMs]);
    return result.rowCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    checkLeaseArgs(name, holder);
    await this.pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async releaseAll(holder: string): Promise<number> {
    checkLeaseArgs('all', holder);
    const result = await this.pool.query('DELETE FROM leases WHERE holder = $1', [holder]);
    return result.rowCount ?? 0;
  }

  async holderOf(name: string): Promise<Lease | null> {
    checkLeaseArgs(name, 'anyone');
    const { rows } = await this.pool.query<Lease>(
      `SELECT holder, floor(extract(epoch FROM expires_at) * 1000)::bigint AS "expiresAt"
       FROM leases WHERE name = $1 AND expires_at > statement_timestamp()`,
      [name],
    );
    return rows[0] ?? null;
  }
}
