import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { listWebhookEvents, retryWebhookEvent } from '../routes/admin';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /checkout/events (admin): the webhook inbox, newest first, by state and search. */
  async find(ctx: Context) {
    ctx.body = await getService(strapi, 'inbox').list(inputOf(ctx, listWebhookEvents).query);
  },

  /** POST /checkout/events/:eventId/retry (admin, `plugin::checkout.webhook-events.retry`): a dead letter back to pending. */
  async retry(ctx: Context) {
    const { eventId } = inputOf(ctx, retryWebhookEvent).params;
    const admin = ctx.state.user as { id: number; email?: string | null };
    const result = await getService(strapi, 'inbox').retry(eventId, admin);
    if (!result.ok) {
      if (result.reason === 'not-found') throw httpError(404, 'No such webhook event.');
      throw httpError(409, `Only a dead-lettered event can be retried: this one is ${result.state === 'done' ? 'done (applied)' : 'pending (it will be applied)'}.`, { reason: 'not-dead', state: result.state });
    }
    ctx.status = 202;
    ctx.body = { data: result.event };
  },
});
