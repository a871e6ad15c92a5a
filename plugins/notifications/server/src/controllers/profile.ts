import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { update } from '../routes/content-api';
import { getService } from '../utils';

function callerId(ctx: Context): number {
  const user = ctx.state.user as { id?: number } | undefined;
  if (!user?.id) throw httpError(401, 'Log in first.');
  return user.id;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/me/profile. */
  async me(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'profile').read(callerId(ctx)) };
  },

  /** PUT /api/me/profile. */
  async update(ctx: Context) {
    const body = inputOf(ctx, update).body;
    ctx.body = { data: await getService(strapi, 'profile').update(callerId(ctx), body) };
  },
});
