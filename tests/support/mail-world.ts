/**
 * What the notification suites boot: a real SMTP server on loopback, the Stripe fake, a fresh
 * database and the app sending through that server, with an admin. Each suite adds its own
 * environment (worker timings, public URL, editors' address) and closes the parts itself.
 */
import { createAdmin, type TestAdmin } from './builders';
import { stripeEnv } from './checkout-world';
import { createTestDatabase, type TestDatabase } from './db';
import { startFakeStripe, type FakeStripe } from './fake-stripe';
import { startLoopbackSmtp, type LoopbackSmtp } from './smtp';
import { bootApp, type TestApp } from './strapi';

export const OUTBOX_UID = 'plugin::notifications.outbox-message';

/** An outbox row as the suites read it. */
export interface OutboxRow {
  id: number;
  recipient: string;
  userId: number | null;
  template: string;
  locale: string;
  state: string;
  attempts: number;
  lastError: string | null;
  subject: string;
  text: string;
  html: string;
  payload: Record<string, unknown>;
}

export interface MailWorld {
  smtp: LoopbackSmtp;
  fake: FakeStripe;
  database: TestDatabase;
  app: TestApp;
  admin: TestAdmin;
}

export async function startMailWorld(options: { smtpPort: number; webhookSecret: string; env: Record<string, string> }): Promise<MailWorld> {
  const smtp = await startLoopbackSmtp(options.smtpPort);
  const fake = await startFakeStripe();
  const database = await createTestDatabase();
  const app = await bootApp({ database, env: { ...stripeEnv(fake, options.webhookSecret), ...smtp.env, NOTIFICATIONS_WORKER_INTERVAL_MS: '100', ...options.env } });
  const admin = await createAdmin(app);
  return { smtp, fake, database, app, admin };
}

/** Rows of the outbox matching `where`, oldest first. */
export async function outboxRows(app: TestApp, where: Record<string, unknown>): Promise<OutboxRow[]> {
  return (await app.strapi.db.query(OUTBOX_UID).findMany({ where, orderBy: { id: 'asc' } })) as OutboxRow[];
}
