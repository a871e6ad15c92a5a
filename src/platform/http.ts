/**
 * One error shape for every plugin: Strapi's `{ data: null, error: { status, name, message,
 * details } }`, produced from a status and a message, from a zod issue list, or from a domain
 * refusal — never built by hand in a controller.
 */
import { errors } from '@strapi/utils';
import { z } from 'zod';

/** The statuses the platform answers with on purpose. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 416 | 422 | 429 | 500 | 502 | 503;

const NAMES: Record<ErrorStatus, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  410: 'GoneError',
  413: 'PayloadTooLargeError',
  415: 'UnsupportedMediaTypeError',
  416: 'RangeNotSatisfiableError',
  422: 'UnprocessableEntityError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
};

/** The body of an error response. */
export interface ErrorBody {
  data: null;
  error: { status: number; name: string; message: string; details: Record<string, unknown> };
}

/** Strapi's error envelope. */
export function errorBody(status: number, name: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { data: null, error: { status, name, message, details } };
}

/**
 * An HTTP error that Strapi's error middleware answers in its envelope with this status, name,
 * message and details, without logging it as a crash. Strapi formats errors that are `instanceof
 * errors.HttpError` (http-errors 2) by their status; that class is abstract (its constructor
 * throws), so this one joins its prototype chain instead. Unlike Strapi's own `ForbiddenError` and
 * `UnauthorizedError` (ApplicationErrors, whose message the route `authorize` step replaces with a
 * bare "Forbidden" when a handler throws them), its message reaches the client.
 */
export class PlatformHttpError extends Error {
  readonly status: ErrorStatus;
  readonly statusCode: ErrorStatus;
  readonly expose = true;
  readonly details: Record<string, unknown>;

  constructor(status: ErrorStatus, message: string, details: Record<string, unknown> = {}, name: string = NAMES[status]) {
    super(message);
    this.name = name;
    this.status = status;
    this.statusCode = status;
    this.details = details;
  }
}
Object.setPrototypeOf(PlatformHttpError.prototype, errors.HttpError.prototype);

/** The error to throw for `status`: Strapi's ValidationError for 400 (so its 400s and ours read alike), ours otherwise. */
export function httpError(status: ErrorStatus, message: string, details: Record<string, unknown> = {}): Error {
  if (status === 400) return new errors.ValidationError(message, details);
  return new PlatformHttpError(status, message, details);
}

/** Writes an error response directly (middlewares that answer before any controller). */
export function sendError(ctx: { status: number; body: unknown }, status: ErrorStatus, message: string, details: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.body = errorBody(status, NAMES[status], message, details);
}

/** One issue of a refused input, as clients receive it in `error.details.errors`. */
export interface InputIssue {
  path: string[];
  message: string;
}

/** `field: problem; other: problem` — every issue, in order, readable by a person. */
export function describeIssues(error: z.ZodError, root = 'body'): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : root}: ${i.message}`).join('; ');
}

/** The issues of a zod error, in the shape `error.details.errors` carries. */
export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
}

/** A 400 naming every problem of `error` (`Invalid <what>: field: problem; …`). */
export function invalidInput(error: z.ZodError, what: string, root?: string): Error {
  return new errors.ValidationError(`Invalid ${what}: ${describeIssues(error, root)}`, { errors: issuesOf(error) });
}

/** Parses `value` with `schema`, or throws a 400 naming every problem. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string, root?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, what, root);
  return parsed.data;
}

/** For an exhaustive `switch`: the compiler refuses a call here when a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${String(value)}`);
}
