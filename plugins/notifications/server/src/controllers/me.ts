import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { eraseMine } from '../routes/content-api';
import { getService } from '../utils';

function callerId(ctx: Context): number {
  const user = ctx.state.user as { id?: number } | undefined;
  if (!user?.id) throw httpError(401, 'Log in first.');
  return user.id;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/me/export: a JSON download. */
  async export(ctx: Context) {
    const data = await getService(strapi, 'account-data').export(callerId(ctx));
    if (!data) throw httpError(401, 'This account no longer exists.');
    ctx.set('Content-Disposition', 'attachment; filename="my-data.json"');
    ctx.body = data;
  },

  /** DELETE /api/me { password }. */
  async erase(ctx: Context) {
    const userId = callerId(ctx);
    const { password } = inputOf(ctx, eraseMine).body;
    const service = getService(strapi, 'account-data');
    if (!(await service.passwordMatches(userId, password))) {
      throw httpError(400, 'The password is wrong: nothing was erased.', { errors: [{ path: ['password'], message: 'does not match this account' }] });
    }
    const holders = await service.erase(userId);
    ctx.body = { data: { erased: true as const, holders } };
  },
});
