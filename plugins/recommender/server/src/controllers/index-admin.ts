import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils';

/** Admin panel: the index's state and an editor's rebuild (RBAC in routes/admin.ts). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /recommender/index */
  async status(ctx: Context) {
    ctx.body = { data: getService(strapi, 'course-index').status() };
  },

  /** POST /recommender/index/rebuild: starts a rebuild in the background; poll the status. */
  async rebuild(ctx: Context) {
    const admin = ctx.state.user as { id?: number; email?: string } | undefined;
    const result = getService(strapi, 'course-index').rebuild(`admin:${admin?.id ?? 'unknown'}`);
    ctx.status = 202;
    ctx.body = { data: result };
  },
});
