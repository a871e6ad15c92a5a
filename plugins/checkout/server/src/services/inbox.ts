/**
 * The webhook inbox (`checkout_webhook_events`): what a verified Stripe event becomes before it
 * is applied, and every read and write of its lifecycle except the apply itself (webhooks.ts).
 *
 *   receive  one `INSERT … ON CONFLICT (event_id) DO NOTHING`: the raw event, its ordering key and
 *            the request id, state `pending`. A redelivery or a concurrent duplicate (any instance)
 *            inserts nothing and is answered `duplicate`. A failed insert throws: the webhook then
 *            answers 500 and Stripe retries — an event is acknowledged only once it is stored.
 *   candidates  due pending events that are the head of their ordering key (no earlier pending
 *            event of the same Stripe object, domain/inbox.ts), oldest first. A plain read: the
 *            claim is the row lock the apply takes (`FOR UPDATE SKIP LOCKED`, webhooks.ts).
 *   recordFailure  after a failed apply (rolled back): the attempt counted, another one after an
 *            exponential back-off, or `dead` once CHECKOUT_INBOX_MAX_ATTEMPTS are spent.
 *   list / retry / stats  the admin Webhook events tab, the health route and the metrics.
 *
 * States: pending → done (applied, in the transaction of its effects) | pending → dead (attempts
 * spent) → pending (an editor's retry) → done.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { currentRequestId, insertIgnoringConflict, isPostgres, modelNames, qualifiedTable, type AdminWebhookEvent, type AdminWebhookEventsResponse, type WebhookEventState } from '@kp/platform';
import { WEBHOOK_EVENT_UID } from '../content-types';
import { readConfig } from '../config';
import { parseStripeEvent } from '../domain/events';
import { afterFailedAttempt, describeError, orderingKey } from '../domain/inbox';
import { inboxMetrics } from '../metrics';
import { getService } from '../utils';

export type ReceiveResult =
  | { status: 'accepted'; eventId: string; type: string }
  | { status: 'duplicate'; eventId: string; type: string }
  | { status: 'rejected'; reason: 'malformed-event'; detail: string };

/** A pending event as the worker applies it. */
export interface InboxEvent {
  id: number;
  eventId: string;
  type: string;
  payload: string;
  attempts: number;
  requestId: string | null;
  receivedAt: Date;
}

export interface InboxStats {
  pending: number;
  dead: number;
  /** Seconds since the oldest pending event was received (0 when none). */
  oldestPendingSeconds: number;
}

export type RetryResult = { ok: true; event: AdminWebhookEvent } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'not-dead'; state: WebhookEventState };

const toDate = (v: unknown): Date | null => (v === null || v === undefined || v === '' ? null : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number | Date)));
const iso = (v: unknown): string | null => toDate(v)?.toISOString() ?? null;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const names = () => modelNames(strapi, WEBHOOK_EVENT_UID);
  const table = () => qualifiedTable(strapi, names().table);
  const knex = () => strapi.db.connection as unknown as Knex;

  /** Columns of the admin view, by attribute. */
  const VIEW = ['eventId', 'type', 'state', 'attempts', 'outcome', 'detail', 'lastError', 'orderingKey', 'objectId', 'created', 'createdAt', 'processedAt', 'nextAttemptAt', 'requestId'] as const;

  function toView(row: Record<string, unknown>): AdminWebhookEvent {
    return {
      eventId: String(row.eventId),
      type: String(row.type),
      // Rows from before the inbox have no state until the migration marks them done.
      state: (row.state as WebhookEventState | null) ?? 'done',
      attempts: Number(row.attempts ?? 0),
      outcome: (row.outcome as string | null) ?? null,
      detail: (row.detail as string | null) ?? null,
      lastError: (row.lastError as string | null) ?? null,
      orderingKey: (row.orderingKey as string | null) ?? null,
      objectId: (row.objectId as string | null) ?? null,
      created: new Date(Number(row.created) * 1000).toISOString(),
      receivedAt: iso(row.createdAt) ?? '',
      processedAt: iso(row.processedAt),
      nextAttemptAt: row.state === 'pending' ? iso(row.nextAttemptAt) : null,
      requestId: (row.requestId as string | null) ?? null,
    };
  }

  async function findView(eventId: string): Promise<AdminWebhookEvent | null> {
    const n = names();
    const row = (await knex()(table()).select(Object.fromEntries(VIEW.map((a) => [a, n.col(a)]))).where(n.col('eventId'), eventId).first()) as Record<string, unknown> | undefined;
    return row ? toView(row) : null;
  }

  return {
    /** Stores one verified event (the raw bytes Stripe signed). Throws when the database does not take it. */
    async receive(raw: string, json: unknown): Promise<ReceiveResult> {
      const parsed = parseStripeEvent(json);
      if (!parsed.ok) return { status: 'rejected', reason: parsed.reason, detail: parsed.detail };
      const { envelope } = parsed;
      const now = new Date();
      const requestId = currentRequestId(strapi) ?? null;
      const rowId = await insertIgnoringConflict(
        strapi,
        WEBHOOK_EVENT_UID,
        {
          eventId: envelope.id,
          type: envelope.type,
          created: envelope.created,
          livemode: envelope.livemode,
          objectId: envelope.objectId,
          state: 'pending',
          payload: raw,
          orderingKey: orderingKey(json),
          attempts: 0,
          nextAttemptAt: now,
          requestId: requestId ? requestId.slice(0, 64) : null,
        },
        'eventId',
        now,
        knex()
      );
      if (rowId === null) return { status: 'duplicate', eventId: envelope.id, type: envelope.type };
      strapi.log.info(`[checkout] received ${envelope.type} ${envelope.id}${requestId ? ` [${requestId}]` : ''}`, { requestId, eventId: envelope.id, type: envelope.type, phase: 'received' });
      getService(strapi, 'inbox-worker').wake();
      return { status: 'accepted', eventId: envelope.id, type: envelope.type };
    },

    /** Up to `limit` due pending events, each the head of its ordering key, oldest first (see the file comment). */
    async candidates(limit: number, now = new Date()): Promise<InboxEvent[]> {
      const n = names();
      const t = table();
      const db = knex();
      const [state, key, created, next] = [n.col('state'), n.col('orderingKey'), n.col('created'), n.col('nextAttemptAt')];
      // The oldest due pending rows first, by the partial index (a bounded walk however deep the
      // inbox is), then the head-of-key check on those only.
      const due = db(t)
        .select('*')
        .where(state, 'pending')
        .where(next, '<=', now)
        .orderBy([{ column: created }, { column: 'id' }])
        .limit(limit * 8)
        .as('e');
      const rows = (await db
        .from(due)
        .select({ id: 'e.id', eventId: `e.${n.col('eventId')}`, type: `e.${n.col('type')}`, payload: `e.${n.col('payload')}`, attempts: `e.${n.col('attempts')}`, requestId: `e.${n.col('requestId')}`, receivedAt: `e.${n.col('createdAt')}` })
        .whereNotExists(
          db({ p: t })
            .select(db.raw('1'))
            .where(`p.${state}`, 'pending')
            .whereRaw('?? = ??', [`p.${key}`, `e.${key}`])
            .where((q) => q.whereRaw('?? < ??', [`p.${created}`, `e.${created}`]).orWhere((q2) => q2.whereRaw('?? = ??', [`p.${created}`, `e.${created}`]).whereRaw('?? < ??', ['p.id', 'e.id'])))
        )
        .orderBy([{ column: `e.${created}` }, { column: 'e.id' }])
        .limit(limit)) as Array<Record<string, unknown>>;
      return rows.map((r) => ({
        id: Number(r.id),
        eventId: String(r.eventId),
        type: String(r.type),
        payload: String(r.payload ?? ''),
        attempts: Number(r.attempts ?? 0),
        requestId: (r.requestId as string | null) ?? null,
        receivedAt: toDate(r.receivedAt) ?? now,
      }));
    },

    /** Whether any pending event is due now (a drain waits until none is). */
    async hasDue(now = new Date()): Promise<boolean> {
      const n = names();
      const row = await knex()(table()).select('id').where(n.col('state'), 'pending').where(n.col('nextAttemptAt'), '<=', now).first();
      return Boolean(row);
    },

    /** A failed attempt (its transaction rolled back): retried after the back-off, or dead. */
    async recordFailure(event: InboxEvent, error: unknown, now = new Date()): Promise<'pending' | 'dead'> {
      const n = names();
      const settings = readConfig(strapi, 'inbox');
      const attempts = event.attempts + 1;
      const next = afterFailedAttempt(attempts, now, { maxAttempts: settings.maxAttempts, baseDelayMs: settings.retryBaseMs, maxDelayMs: settings.retryMaxMs });
      const message = describeError(error);
      await knex()(table())
        .where('id', event.id)
        .where(n.col('state'), 'pending')
        .update({
          [n.col('state')]: next.state,
          [n.col('attempts')]: attempts,
          [n.col('lastError')]: message,
          [n.col('nextAttemptAt')]: next.state === 'pending' ? next.nextAttemptAt : null,
          [n.col('updatedAt')]: now,
        });
      const requestId = event.requestId ?? undefined;
      if (next.state === 'dead') {
        inboxMetrics(strapi).outcomes.inc({ outcome: 'dead' });
        strapi.log.error(`[checkout] ${event.type} ${event.eventId} dead-lettered after ${attempts} attempts: ${message}${requestId ? ` [${requestId}]` : ''}`, { requestId, eventId: event.eventId, attempts, phase: 'dead' });
      } else {
        inboxMetrics(strapi).outcomes.inc({ outcome: 'retried' });
        strapi.log.warn(`[checkout] ${event.type} ${event.eventId}: attempt ${attempts} failed, retried in ${Math.round(next.delayMs / 100) / 10} s: ${message}${requestId ? ` [${requestId}]` : ''}`, { requestId, eventId: event.eventId, attempts, phase: 'retry' });
      }
      return next.state;
    },

    /** The admin Webhook events tab: newest first, by state and search (event id, type, object id, ordering key). */
    async list(options: { state?: WebhookEventState; q?: string; page: number; pageSize: number }): Promise<AdminWebhookEventsResponse> {
      const n = names();
      const db = knex();
      const filtered = () => {
        let q = db(table());
        if (options.state === 'done') q = q.where((w) => w.where(n.col('state'), 'done').orWhereNull(n.col('state')));
        else if (options.state) q = q.where(n.col('state'), options.state);
        if (options.q) {
          const like = `%${options.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          q = q.where((w) => {
            for (const attr of ['eventId', 'type', 'objectId', 'orderingKey']) w.orWhereRaw(`lower(??) like ? escape '\\'`, [n.col(attr), like]);
          });
        }
        return q;
      };
      const [rows, total, counts] = await Promise.all([
        filtered()
          .select(Object.fromEntries(VIEW.map((a) => [a, n.col(a)])))
          .orderBy([{ column: n.col('createdAt'), order: 'desc' }, { column: 'id', order: 'desc' }])
          .limit(options.pageSize)
          .offset((options.page - 1) * options.pageSize) as Promise<Array<Record<string, unknown>>>,
        filtered().count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
        this.stats(),
      ]);
      const count = Number(total?.n ?? 0);
      return {
        results: rows.map(toView),
        pagination: { page: options.page, pageSize: options.pageSize, total: count, pageCount: Math.ceil(count / options.pageSize) },
        inbox: counts,
      };
    },

    /** An editor's retry of a dead-lettered event: pending again, attempts reset, the worker woken. */
    async retry(eventId: string, admin: { id: number; email?: string | null }, now = new Date()): Promise<RetryResult> {
      const n = names();
      const changed = await knex()(table())
        .where(n.col('eventId'), eventId)
        .where(n.col('state'), 'dead')
        .update({ [n.col('state')]: 'pending', [n.col('attempts')]: 0, [n.col('nextAttemptAt')]: now, [n.col('updatedAt')]: now });
      const view = await findView(eventId);
      if (!view) return { ok: false, reason: 'not-found' };
      if (!changed) return { ok: false, reason: 'not-dead', state: view.state };
      strapi.log.info(`[checkout] ${view.type} ${eventId}: retry requested by ${admin.email ?? `admin #${admin.id}`}`, { eventId, requestId: view.requestId ?? undefined, phase: 'retry-requested' });
      getService(strapi, 'inbox-worker').wake();
      return { ok: true, event: view };
    },

    /** Depth, dead letters and the age of the oldest pending event (three indexed statements). */
    async stats(now = Date.now()): Promise<InboxStats> {
      const n = names();
      const db = knex();
      const [pending, dead, oldest] = await Promise.all([
        db(table()).where(n.col('state'), 'pending').count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
        db(table()).where(n.col('state'), 'dead').count({ n: '*' }).first() as Promise<{ n: number | string } | undefined>,
        db(table()).where(n.col('state'), 'pending').min({ at: n.col('createdAt') }).first() as Promise<{ at: unknown } | undefined>,
      ]);
      const at = toDate(oldest?.at);
      return { pending: Number(pending?.n ?? 0), dead: Number(dead?.n ?? 0), oldestPendingSeconds: at ? Math.max(0, (now - at.getTime()) / 1000) : 0 };
    },

    /** Whether rows can be claimed by several workers at once (PostgreSQL) or one at a time (SQLite). */
    concurrent(): boolean {
      return isPostgres(strapi);
    },
  };
};
