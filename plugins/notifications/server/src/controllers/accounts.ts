import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { httpError, inputOf } from '@kp/platform';
import { eraseAccount, exportAccount } from '../routes/admin';
import { getService } from '../utils';

/** Support requests from the admin panel (`plugin::notifications.accounts.manage`). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async export(ctx: Context) {
    const data = await getService(strapi, 'account-data').export(inputOf(ctx, exportAccount).params.userId);
    if (!data) throw httpError(404, 'No such user.');
    ctx.set('Content-Disposition', 'attachment; filename="user-data.json"');
    ctx.body = data;
  },

  async erase(ctx: Context) {
    const { userId } = inputOf(ctx, eraseAccount).params;
    const service = getService(strapi, 'account-data');
    if (!(await service.export(userId))) throw httpError(404, 'No such user.');
    const admin = ctx.state.user as { id: number; email?: string | null };
    const holders = await service.erase(userId);
    strapi.log.info(`[notifications] account ${userId} erased by admin ${admin.id}`);
    ctx.body = { data: { erased: true as const, holders } };
  },
});
