import type { Context } from 'koa';

/** Sets an error response in Strapi's shape (`{ data: null, error: { status, name, message, details } }`). */
export function sendError(ctx: Context, status: number, name: string, message: string, details: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
}
