/**
 * HTTP errors that Strapi's error middleware answers in its envelope
 * (`{ data: null, error: { status, name, message, details } }`) without logging them as crashes.
 */
import { errors } from '@strapi/utils';

const NAMES: Record<number, string> = { 401: 'UnauthorizedError', 403: 'ForbiddenError', 409: 'ConflictError', 422: 'UnprocessableEntityError' };

/**
 * 401, 403, 409 and 422. @strapi/utils has no class for 409 and 422; and its Forbidden and
 * Unauthorized errors lose their message when thrown from a handler (Strapi's route authorizer
 * catches them around the whole handler and answers a bare "Forbidden").
 */
export class ReviewHttpError extends Error {
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;
  readonly details: Record<string, unknown>;

  constructor(status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = NAMES[status] ?? 'HttpError';
    this.status = status;
    this.statusCode = status;
    this.details = details;
  }
}
// Strapi formats errors that are `instanceof errors.HttpError` (http-errors 2) with their status;
// that class is abstract (its constructor throws), so ours joins its prototype chain instead.
// koa's own `ctx.throw` uses http-errors 1.x, which Strapi does not recognise and logs as a crash.
Object.setPrototypeOf(ReviewHttpError.prototype, errors.HttpError.prototype);

/** An error for `status`, with Strapi's own classes where they exist. */
export function httpError(status: 400 | 401 | 403 | 404 | 409 | 422, message: string, details: Record<string, unknown> = {}): Error {
  switch (status) {
    case 400:
      return new errors.ValidationError(message, details);
    case 404:
      return new errors.NotFoundError(message, details);
    case 401:
    case 403:
    case 409:
    case 422:
      return new ReviewHttpError(status, message, details);
    default: {
      const unreachable: never = status;
      throw new Error(`unsupported status ${String(unreachable)}`);
    }
  }
}
