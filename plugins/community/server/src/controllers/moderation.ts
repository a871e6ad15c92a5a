import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { inputOf } from '@kp/platform';
import type { z } from 'zod';
import { block, events, hide, items, restore, unblock } from '../routes/admin';
import type { blockResponse, eventsResponse, itemsResponse, moderateResponse } from '../routes/schemas';
import { getService } from '../utils';
import { editorOf, pagination } from './request';

/** The editors' moderation routes (admin API). */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const moderation = () => getService(strapi, 'moderation');
  return {
    async items(ctx: Context) {
      const { query } = inputOf(ctx, items);
      const result = await moderation().items(query);
      ctx.body = { data: result.data, meta: { pagination: pagination(query.page, query.pageSize, result.total) } } satisfies z.input<typeof itemsResponse>;
    },
    async hide(ctx: Context) {
      const { params, body } = inputOf(ctx, hide);
      const result = await moderation().moderate(editorOf(ctx), params.kind, params.id, 'hide', body.reason, new Date());
      ctx.body = { data: result.item, meta: { changed: result.changed } } satisfies z.input<typeof moderateResponse>;
    },
    async restore(ctx: Context) {
      const { params } = inputOf(ctx, restore);
      const result = await moderation().moderate(editorOf(ctx), params.kind, params.id, 'restore', null, new Date());
      ctx.body = { data: result.item, meta: { changed: result.changed } } satisfies z.input<typeof moderateResponse>;
    },
    async block(ctx: Context) {
      const { params, body } = inputOf(ctx, block);
      const r = await moderation().block(editorOf(ctx), params.userId, body.reason ?? null, new Date());
      ctx.body = { data: { userId: r.userId, blocked: r.blocked }, meta: { changed: r.changed } } satisfies z.input<typeof blockResponse>;
    },
    async unblock(ctx: Context) {
      const { params } = inputOf(ctx, unblock);
      const r = await moderation().unblock(editorOf(ctx), params.userId, new Date());
      ctx.body = { data: { userId: r.userId, blocked: r.blocked }, meta: { changed: r.changed } } satisfies z.input<typeof blockResponse>;
    },
    async events(ctx: Context) {
      const { query } = inputOf(ctx, events);
      const result = await moderation().events(query);
      ctx.body = { data: result.data, meta: { pagination: pagination(query.page, query.pageSize, result.total) } } satisfies z.input<typeof eventsResponse>;
    },
  };
};
