import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sendError } from '@kp/platform';
import { WebhookVerificationError } from '../services/stripe-api';
import { getService } from '../utils';

/** Where koa-body keeps the bytes it parsed (`strapi::body` with `includeUnparsed: true`). */
const UNPARSED = Symbol.for('unparsedBody');

/** The body exactly as received, or null when none reached us. */
function rawBody(ctx: Context): string | Buffer | null {
  const body = (ctx.request as { body?: unknown }).body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body && typeof body === 'object' && UNPARSED in body) {
    const raw = (body as Record<symbol, unknown>)[UNPARSED];
    if (typeof raw === 'string' || Buffer.isBuffer(raw)) return raw;
  }
  return null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * POST /api/checkout/webhook. 400 for anything unverified (nothing written); 200 once the event
   * is stored in the inbox, or was already (the worker applies it); 500 when it could not be
   * stored, so that Stripe retries: an event is never acknowledged and lost.
   * The answer is written here rather than thrown: a refusal must never look like a crash in the
   * logs, and a failure must be logged with the event id.
   */
  async handle(ctx: Context) {
    const signature = ctx.get('stripe-signature');
    if (!signature) return sendError(ctx, 400, 'Missing Stripe-Signature header.', { reason: 'missing-signature' });
    const raw = rawBody(ctx);
    if (raw === null) {
      const body = (ctx.request as { body?: unknown }).body;
      if (body && typeof body === 'object' && Object.keys(body).length > 0) {
        // Parsed JSON without its raw bytes: the body middleware is not configured for webhooks.
        strapi.log.error('[checkout] webhook received without its raw body: set `includeUnparsed: true` on strapi::body in config/middlewares.ts');
        return sendError(ctx, 500, 'Webhook raw body unavailable.');
      }
      return sendError(ctx, 400, 'Expected a JSON body.', { reason: 'malformed-payload' });
    }

    let event: unknown;
    try {
      event = getService(strapi, 'stripe-api').verifyWebhook(raw, signature);
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        strapi.log.warn(`[checkout] webhook refused: ${error.reason}`);
        return sendError(ctx, 400, 'Webhook signature verification failed.', { reason: error.reason });
      }
      throw error;
    }

    try {
      const result = await getService(strapi, 'inbox').receive(typeof raw === 'string' ? raw : raw.toString('utf8'), event);
      if (result.status === 'rejected') {
        strapi.log.warn(`[checkout] signed event refused: ${result.detail}`);
        return sendError(ctx, 400, 'Malformed Stripe event.', { reason: result.reason, detail: result.detail });
      }
      ctx.status = 200;
      ctx.body =
        result.status === 'duplicate'
          ? { received: true, duplicate: true, eventId: result.eventId }
          : { received: true, duplicate: false, eventId: result.eventId, state: 'pending' };
    } catch (error) {
      const id = event && typeof event === 'object' && 'id' in event ? String((event as { id: unknown }).id) : 'unknown';
      strapi.log.error(`[checkout] storing Stripe event ${id} failed (Stripe will retry): ${(error as Error).stack ?? error}`);
      sendError(ctx, 500, 'The event could not be stored; Stripe will retry it.', { eventId: id });
    }
  },
});
