import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import type { z } from 'zod';
import { ownerView, publicView } from '../domain/certificate';
import { pdf, verify } from '../routes/content-api';
import type { myCertificatesResponseSchema, verifyResponseSchema } from '../routes/schemas';
import { getService, locales as supportedLocales } from '../utils';
import { learnerOf, supportedLocale } from './request';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/certificates/me: the learner's certificates, revocation reasons included. */
  async me(ctx: Context) {
    const learner = learnerOf(ctx);
    const list = await getService(strapi, 'certificates').listForUser(learner.id);
    ctx.body = { data: list.map(ownerView), meta: { total: list.length } } satisfies z.input<typeof myCertificatesResponseSchema>;
  },

  /** GET /api/certificates/:code (public): the facts printed on it and whether it stands. */
  async verify(ctx: Context) {
    const { code } = inputOf(ctx, verify).params;
    const facts = await getService(strapi, 'certificates').findByCode(code);
    if (!facts) throw httpError(404, 'No certificate has this code.');
    ctx.set('Cache-Control', 'no-store'); // a revocation must show at once
    ctx.body = { data: publicView(facts) } satisfies z.input<typeof verifyResponseSchema>;
  },

  /** GET /api/certificates/:code/pdf (public): a one-page PDF; `?locale=` picks the labels' language. */
  async pdf(ctx: Context) {
    const { params, query } = inputOf(ctx, pdf);
    const requested = supportedLocale(query.locale, supportedLocales(strapi));
    const facts = await getService(strapi, 'certificates').findByCode(params.code);
    if (!facts) throw httpError(404, 'No certificate has this code.');
    if (facts.state === 'revoked') throw httpError(410, 'This certificate was revoked: it can be verified, not printed.');
    const body = await getService(strapi, 'pdf').render(facts, requested ?? facts.language);
    ctx.set('Content-Type', 'application/pdf');
    ctx.set('Content-Disposition', `inline; filename="certificate-${params.code}.pdf"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  },
});
