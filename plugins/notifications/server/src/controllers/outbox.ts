import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { renderTemplate, SAMPLE_PAYLOADS } from '../domain/templates';
import { findOne, list, preview, resend } from '../routes/admin';
import { getService, pluginConfig } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /notifications/status (admin). */
  async status(ctx: Context) {
    const outbox = getService(strapi, 'outbox');
    const capturing = outbox.capturing();
    ctx.body = {
      data: {
        mode: capturing ? ('capture' as const) : ('smtp' as const),
        message: capturing
          ? 'Messages are not being delivered: SMTP_HOST is not set, so every message is captured here. Set SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD and EMAIL_FROM to deliver them.'
          : `Messages are delivered through ${pluginConfig(strapi, 'smtpHost')}:${pluginConfig(strapi, 'smtpPort')}.`,
        counts: await outbox.countsByState(),
      },
    };
  },

  /** GET /notifications/outbox (admin). */
  async find(ctx: Context) {
    ctx.body = await getService(strapi, 'outbox').list(inputOf(ctx, list).query);
  },

  /** GET /notifications/outbox/:id (admin). */
  async findOne(ctx: Context) {
    const message = await getService(strapi, 'outbox').findOne(inputOf(ctx, findOne).params.id);
    if (!message) throw httpError(404, 'No such message.');
    ctx.body = { data: message };
  },

  /** POST /notifications/outbox/:id/resend (admin, `plugin::notifications.outbox.resend`). */
  async resend(ctx: Context) {
    const outbox = getService(strapi, 'outbox');
    if (outbox.capturing()) throw httpError(409, 'E-mail is captured, not delivered: set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, EMAIL_FROM) to send messages.');
    const message = await outbox.resend(inputOf(ctx, resend).params.id);
    if (!message) throw httpError(404, 'No such message.');
    getService(strapi, 'worker').wake();
    ctx.status = 202;
    ctx.body = { data: message };
  },

  /** GET /notifications/templates/:template/preview (admin). */
  async preview(ctx: Context) {
    const { params, query } = inputOf(ctx, preview);
    const rendered = renderTemplate(params.template, query.locale, SAMPLE_PAYLOADS[params.template] as never);
    ctx.body = { data: { template: params.template, locale: query.locale, ...rendered } };
  },
});
