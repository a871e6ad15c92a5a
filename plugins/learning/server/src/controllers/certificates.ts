import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { isWellFormedCode, ownerView, publicView } from '../domain/certificate';
import { gone } from '../errors';
import { getService, locales as supportedLocales } from '../utils';
import { supportedLocale } from '../validation';
import { learnerOf, respond } from './respond';

function codeOf(ctx: Context): string {
  const code = String(ctx.params.code ?? '');
  // Checked before any query: a malformed code is a client error, not a lookup.
  if (!isWellFormedCode(code)) throw new errors.ValidationError('Invalid certificate code: expected 24 characters (letters, digits, - and _).');
  return code;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/certificates/me: the learner's certificates, revocation reasons included. */
  async me(ctx: Context) {
    await respond(ctx, async () => {
      const learner = learnerOf(ctx);
      const list = await getService(strapi, 'certificates').listForUser(learner.id);
      ctx.body = { data: list.map(ownerView), meta: { total: list.length } };
    });
  },

  /** GET /api/certificates/:code (public): the facts printed on it and whether it stands. */
  async verify(ctx: Context) {
    await respond(ctx, async () => {
      const facts = await getService(strapi, 'certificates').findByCode(codeOf(ctx));
      if (!facts) throw new errors.NotFoundError('No certificate has this code.');
      ctx.set('Cache-Control', 'no-store'); // a revocation must show at once
      ctx.body = { data: publicView(facts) };
    });
  },

  /** GET /api/certificates/:code/pdf (public): a one-page PDF; `?locale=` picks the labels' language. */
  async pdf(ctx: Context) {
    await respond(ctx, async () => {
      const code = codeOf(ctx);
      const requested = supportedLocale((ctx.query as Record<string, unknown>).locale, supportedLocales(strapi));
      const facts = await getService(strapi, 'certificates').findByCode(code);
      if (!facts) throw new errors.NotFoundError('No certificate has this code.');
      if (facts.state === 'revoked') throw gone('This certificate was revoked: it can be verified, not printed.');
      const pdf = await getService(strapi, 'pdf').render(facts, requested ?? facts.language);
      ctx.set('Content-Type', 'application/pdf');
      ctx.set('Content-Disposition', `inline; filename="certificate-${code}.pdf"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = pdf;
    });
  },
});
