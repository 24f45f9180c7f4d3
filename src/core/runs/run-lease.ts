// Owner leases (table tl_run_owners, migration 6): an engine renews its lease while it lives, so
// crash recovery can tell a dead engine from a live one without trusting its PID, which a new
// process may have been given (PID 1 in a container after every restart).

import type Database from "better-sqlite3";

type Db = Database.Database;

/** How long a lease lasts without renewal, and how often a live engine renews it. */
export const LEASE_MS = 15_000;
export const RENEW_MS = 3_000;

export function renewLease(db: Db, owner: string, now = Date.now(), leaseMs = LEASE_MS): void {
  db.prepare(
    `INSERT INTO tl_run_owners (owner, lease_until) VALUES (?, ?)
     ON CONFLICT (owner) DO UPDATE SET lease_until = excluded.lease_until`,
  ).run(owner, now + leaseMs);
}

export function releaseLease(db: Db, owner: string): void {
  db.prepare(`DELETE FROM tl_run_owners WHERE owner = ?`).run(owner);
}

/** An owner's lease end (ms since the epoch), or undefined when it never held one (a build before leases). */
export function leaseUntil(db: Db, owner: string): number | undefined {
  const row = db.prepare(`SELECT lease_until FROM tl_run_owners WHERE owner = ?`).get(owner) as
    | { lease_until: number }
    | undefined;
  return row?.lease_until;
}

/** Leases that ended long ago belong to engines that are gone; their rows are dropped. */
export function dropStaleLeases(db: Db, now = Date.now(), leaseMs = LEASE_MS): void {
  db.prepare(
    `DELETE FROM tl_run_owners WHERE lease_until < ?
       AND owner NOT IN (SELECT owner FROM tl_runs WHERE owner IS NOT NULL AND status IN ('pending', 'running'))`,
  ).run(now - leaseMs);
}

/**
 * Renews `owner`'s lease now and every `renewMs` until stopped. The timer is unref'd: it never
 * keeps a process alive on its own.
 */
export function holdLease(db: Db, owner: string, options: { leaseMs?: number; renewMs?: number; onTick?: () => void } = {}): () => void {
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const tick = () => {
    try {
      renewLease(db, owner, Date.now(), leaseMs);
      options.onTick?.();
    } catch {
      // A busy or closing database: the next tick tries again, well within the lease.
    }
  };
  renewLease(db, owner, Date.now(), leaseMs);
  const timer = setInterval(tick, options.renewMs ?? RENEW_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    try {
      releaseLease(db, owner);
    } catch {
      // The database is already closed: the lease simply expires.
    }
  };
}
