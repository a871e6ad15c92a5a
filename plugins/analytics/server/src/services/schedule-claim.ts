/**
 * One instance per scheduled slot: every instance runs the same strapi.cron rule, and each one's
 * trigger first claims the slot (the rule's fire time, which every instance computes alike) in the
 * database. The claim is a record in the plugin store (`key` → the latest slot claimed, by whom),
 * read and written in one transaction under a PostgreSQL advisory transaction lock, so two
 * instances firing at once are serialised and the second reads the first one's committed claim.
 * SQLite serves one instance (one file, one writer): the transaction alone serialises its triggers.
 * Only a slot later than the one stored can be claimed: a trigger that comes late (a slow instance,
 * a clock a few seconds off) finds its slot taken.
 */
import os from 'node:os';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { isPostgres } from '@kp/platform';

/** pg_advisory_xact_lock key of the schedule claims (the order rollup holds 740_116_001). */
export const SCHEDULE_LOCK_KEY = 740_116_002;

export interface SlotClaim {
  /** ISO time of the slot */
  slot: string;
  /** host and process that claimed it */
  by: string;
  claimedAt: string;
}

/** Who this process is in a claim (host name and pid). */
export const INSTANCE = `${os.hostname()}:${process.pid}`;

/**
 * Claims `slot` (rounded down to the second) under `key`; true when this caller got it, false when
 * it (or a later slot) was already claimed, here or on another instance.
 */
export async function claimSlot(strapi: Core.Strapi, key: string, slot: Date, now = new Date()): Promise<boolean> {
  const at = Math.floor(slot.getTime() / 1000) * 1000;
  if (!Number.isFinite(at)) throw new RangeError('claimSlot: the slot must be a valid time');
  const store = strapi.store({ type: 'plugin', name: 'analytics' });
  return strapi.db.transaction(async ({ trx }: { trx: Knex.Transaction }) => {
    // The store's reads and writes below join this transaction (Strapi's Query Engine does).
    if (isPostgres(strapi)) await trx.raw('SELECT pg_advisory_xact_lock(?)', [SCHEDULE_LOCK_KEY]);
    const last = (await store.get({ key })) as SlotClaim | null;
    if (last && Date.parse(last.slot) >= at) return false;
    const claim: SlotClaim = { slot: new Date(at).toISOString(), by: INSTANCE, claimedAt: now.toISOString() };
    await store.set({ key, value: claim });
    return true;
  });
}

/** The latest claim under `key`, or null. */
export async function lastClaim(strapi: Core.Strapi, key: string): Promise<SlotClaim | null> {
  return ((await strapi.store({ type: 'plugin', name: 'analytics' }).get({ key })) as SlotClaim | null) ?? null;
}
