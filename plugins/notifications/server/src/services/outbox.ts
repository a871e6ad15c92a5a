/**
 * The outbox: every message is a row first. Rows are written in the transaction of the change
 * that causes them (the caller's, when there is one), rendered at once (subject, text, HTML are
 * stored: what an editor reads is what is sent), and claimed by workers in short transactions of
 * their own: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several instances never take the
 * same row; on SQLite the single connection runs one claim at a time. A claimed row is leased
 * (`nextAttemptAt` = end of the lease): a worker that died between claim and send leaves it to
 * be taken again once the lease ends.
 */
import type { Core } from '@strapi/strapi';
import { isPostgres, isUniqueViolation, modelNames, qualifiedTable, rawConnection, withSavepoint } from '@kp/platform';
import type { OutboxMessage, OutboxState } from '@kp/platform/contracts';
import { OUTBOX_UID } from '../content-types';
import { afterFailure, describeFailure } from '../domain/backoff';
import type { MessageLocale } from '../domain/locale';
import { renderTemplate, type TemplateId, type TemplatePayloads } from '../domain/templates';
import { pluginConfig } from '../utils';

export interface NewMessage<K extends TemplateId = TemplateId> {
  recipient: string;
  userId: number | null;
  template: K;
  locale: MessageLocale;
  payload: TemplatePayloads[K];
  /** One message per key (a receipt per order): a second enqueue with the same key is ignored. */
  dedupeKey?: string | null;
}

/** A claimed row, as the worker sends it. */
export interface ClaimedMessage {
  id: number;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
}

interface Row {
  id: number;
  documentId: string;
  recipient: string;
  userId: number | null;
  template: string;
  locale: string;
  subject: string | null;
  text: string | null;
  html: string | null;
  payload: unknown;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | Date | null;
  sentAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

const iso = (v: string | Date | number | null | undefined): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());

export function toOutboxMessage(row: Row): OutboxMessage {
  return {
    id: row.id,
    recipient: row.recipient,
    template: row.template,
    locale: row.locale,
    subject: row.subject ?? '',
    state: row.state,
    attempts: Number(row.attempts ?? 0),
    lastError: row.lastError ?? null,
    nextAttemptAt: iso(row.nextAttemptAt),
    sentAt: iso(row.sentAt),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(OUTBOX_UID);
  const names = () => modelNames(strapi, OUTBOX_UID);
  const capturing = () => pluginConfig(strapi, 'smtpHost').trim() === '';

  return {
    /** Whether messages are captured (no SMTP server) rather than delivered. */
    capturing,

    /**
     * Stores a message, rendered, in the caller's transaction if there is one. Captured at once
     * when there is no SMTP server, queued otherwise. Returns the row id, or null when a message
     * with the same dedupe key exists.
     */
    async enqueue<K extends TemplateId>(message: NewMessage<K>, now = new Date()): Promise<number | null> {
      const rendered = renderTemplate(message.template, message.locale, message.payload);
      const state: OutboxState = capturing() ? 'captured' : 'queued';
      try {
        const row = (await withSavepoint(strapi, () =>
          query().create({
            data: {
              recipient: message.recipient,
              userId: message.userId,
              template: message.template,
              locale: message.locale,
              payload: message.payload,
              subject: rendered.subject.slice(0, 255),
              text: rendered.text,
              html: rendered.html,
              state,
              attempts: 0,
              nextAttemptAt: state === 'queued' ? now : null,
              dedupeKey: message.dedupeKey ?? null,
            },
          })
        )) as { id: number };
        if (state === 'captured' && (process.env.NODE_ENV || 'development') === 'development') {
          // A developer reads captured messages in the log too: the first link is the one to follow.
          const link = /https?:\/\/\S+/.exec(rendered.text)?.[0];
          strapi.log.info(`[notifications] captured "${rendered.subject}" to ${message.recipient}${link ? `: ${link}` : ''}`);
        }
        return row.id;
      } catch (error) {
        if (message.dedupeKey && isUniqueViolation(error)) return null;
        throw error;
      }
    },

    /** Claims up to `limit` due rows for one worker: they turn `sending`, their attempt counted, leased until `now + leaseMs`. */
    async claim(limit: number, now = new Date()): Promise<ClaimedMessage[]> {
      const n = names();
      const table = qualifiedTable(strapi, n.table);
      const leaseMs = pluginConfig(strapi, 'worker').leaseMs;
      return strapi.db.transaction(async () => {
        const knex = rawConnection(strapi);
        let pick = knex(table)
          .select('id')
          .whereIn(n.col('state'), ['queued', 'sending'])
          .where(n.col('nextAttemptAt'), '<=', now)
          .orderBy(n.col('nextAttemptAt'))
          .limit(limit);
        if (isPostgres(strapi)) pick = pick.forUpdate().skipLocked();
        const ids = ((await pick) as Array<{ id: number | string }>).map((r) => Number(r.id));
        if (ids.length === 0) return [];
        await knex(table)
          .whereIn('id', ids)
          .update({
            [n.col('state')]: 'sending',
            [n.col('attempts')]: knex.raw('?? + 1', [n.col('attempts')]),
            [n.col('nextAttemptAt')]: new Date(now.getTime() + leaseMs),
            [n.col('updatedAt')]: now,
          });
        const rows = (await knex(table)
          .select({ id: 'id', recipient: n.col('recipient'), subject: n.col('subject'), text: n.col('text'), html: n.col('html'), attempts: n.col('attempts') })
          .whereIn('id', ids)) as Array<Record<string, unknown>>;
        return rows.map((r) => ({
          id: Number(r.id),
          recipient: String(r.recipient),
          subject: String(r.subject ?? ''),
          text: String(r.text ?? ''),
          html: String(r.html ?? ''),
          attempts: Number(r.attempts),
        }));
      });
    },

    /** Marks a claimed row sent. */
    async markSent(id: number, now = new Date()): Promise<void> {
      await query().update({ where: { id }, data: { state: 'sent', sentAt: now, nextAttemptAt: null, lastError: null } });
    },

    /** Records a failed attempt: queued again after the back-off, or failed once the attempts are spent. */
    async markFailed(message: ClaimedMessage, error: unknown, now = new Date()): Promise<OutboxState> {
      const w = pluginConfig(strapi, 'worker');
      const next = afterFailure(message.attempts, now, { maxAttempts: w.maxAttempts, baseDelayMs: w.baseDelayMs, maxDelayMs: w.maxDelayMs });
      await query().update({
        where: { id: message.id },
        data: { state: next.state, lastError: describeFailure(error), nextAttemptAt: next.state === 'queued' ? next.nextAttemptAt : null },
      });
      return next.state;
    },

    /** Messages for the admin Outbox, newest first. */
    async list(options: { state?: OutboxState; recipient?: string; page: number; pageSize: number }) {
      const where: Record<string, unknown> = {};
      if (options.state) where.state = options.state;
      if (options.recipient) where.recipient = { $containsi: options.recipient };
      const [rows, total] = await Promise.all([
        query().findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], offset: (options.page - 1) * options.pageSize, limit: options.pageSize }),
        query().count({ where }),
      ]);
      return {
        results: (rows as Row[]).map(toOutboxMessage),
        pagination: { page: options.page, pageSize: options.pageSize, total, pageCount: Math.ceil(total / options.pageSize) },
      };
    },

    /** How many messages are in each state (one grouped query). */
    async countsByState(): Promise<Record<OutboxState, number>> {
      const n = names();
      const rows = (await rawConnection(strapi)(qualifiedTable(strapi, n.table)).select({ state: n.col('state') }).count({ count: '*' }).groupBy(n.col('state'))) as Array<{ state: OutboxState; count: number | string }>;
      const out: Record<OutboxState, number> = { queued: 0, sending: 0, sent: 0, failed: 0, captured: 0 };
      for (const r of rows) out[r.state] = Number(r.count);
      return out;
    },

    /** One message with its bodies (the editor's preview of what was sent). */
    async findOne(id: number): Promise<(OutboxMessage & { text: string; html: string }) | null> {
      const row = (await query().findOne({ where: { id } })) as Row | null;
      return row ? { ...toOutboxMessage(row), text: row.text ?? '', html: row.html ?? '' } : null;
    },

    /** Queues a message again, attempts reset (an editor's Resend). */
    async resend(id: number, now = new Date()): Promise<OutboxMessage | null> {
      const row = (await query().findOne({ where: { id }, select: ['id'] })) as { id: number } | null;
      if (!row) return null;
      const updated = (await query().update({ where: { id }, data: { state: 'queued', attempts: 0, lastError: null, nextAttemptAt: now, sentAt: null } })) as Row;
      return toOutboxMessage(updated);
    },
  };
};
