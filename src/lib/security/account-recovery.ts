/**
 * users-permissions' auth routes without an account oracle.
 *
 * - `POST /api/auth/forgot-password` answered 500 for a known address (the e-mail send failed
 *   without a provider; with one, the send's latency still told) and 200 for an unknown one.
 * - `POST /api/auth/send-email-confirmation` answered 400 "Already confirmed" / "User blocked"
 *   for known addresses and 200 for unknown ones.
 * - `POST /api/auth/local` (and the admin panel's `POST /admin/login`) skipped the password hash
 *   comparison for an unknown account, so a wrong password for a real account took measurably
 *   longer than one for no account.
 *
 * Both e-mail routes now validate the address and answer at once, the same for every address;
 * users-permissions' own handler (the look-up, the token, the e-mail) starts once the response
 * has been sent, outside the request, and its failures are logged. A login for an unknown identifier compares
 * the password with a dummy hash of the same cost before users-permissions refuses it.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';

type Handler = (ctx: AuthCtx, next?: () => Promise<unknown>) => unknown;
export type AuthController = Record<string, Handler>;

interface ResponseLike {
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

interface AuthCtx {
  request: { body?: unknown; url?: string };
  res?: ResponseLike;
  params?: { provider?: string };
  state?: Record<string, unknown>;
  send(body: unknown): void;
}

const emailBody = z.object({ email: z.email({ message: 'email must be a valid e-mail address' }).max(254) });

function emailOf(body: unknown): string {
  const parsed = emailBody.safeParse(body ?? {});
  if (!parsed.success) {
    throw new errors.ValidationError(parsed.error.issues[0]?.message ?? 'email is required', {
      errors: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return parsed.data.email;
}

// Kept on the Strapi instance (not in a module-level map): a test or script that loads this file
// from the sources must see the work of the instance that runs the compiled copy.
const PENDING = Symbol.for('platform.security.account-emails');
function pendingOf(strapi: Core.Strapi): Set<Promise<void>> {
  const holder = strapi as unknown as { [PENDING]?: Set<Promise<void>> };
  return (holder[PENDING] ??= new Set());
}

/** Resolves once `res` has been sent (or its connection closed); at once without a response. */
function responseDone(res: ResponseLike | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!res) return void setImmediate(resolve);
    res.once('finish', resolve);
    res.once('close', resolve);
  });
}

/**
 * Runs users-permissions' handler for `email` once the caller's response has been sent, with a
 * context of its own (nothing of the caller's request, state or cookies), logging what fails. Not
 * awaited by the request; `drainAccountEmails` waits for it (shutdown, tests).
 */
function runDetached(strapi: Core.Strapi, label: string, handler: Handler, email: string, after: ResponseLike | undefined): void {
  const detached: AuthCtx = { request: { body: { email } }, state: {}, params: {}, send: () => undefined };
  const set = pendingOf(strapi);
  const work: Promise<void> = responseDone(after)
    .then(() => strapi.requestContext.run(detached as never, async () => {
      await handler(detached);
    }))
    .catch((err: unknown) => {
      const e = err as Error & { name?: string };
      // Expected refusals (already confirmed, blocked) are the answers the route no longer gives.
      const expected = e?.name === 'ApplicationError' || e?.name === 'ValidationError';
      strapi.log[expected ? 'info' : 'error'](`[auth] ${label}: not sent (${e?.message ?? String(err)})`);
    })
    .finally(() => set.delete(work));
  set.add(work);
}

/** Waits for every account e-mail still being prepared or sent. */
export async function drainAccountEmails(strapi: Core.Strapi): Promise<void> {
  const set = pendingOf(strapi);
  while (set.size > 0) await Promise.allSettled([...set]);
}

/**
 * The auth controller of users-permissions with the three oracles above closed, and its OAuth
 * `connect` kept from a 500 on another spelling of its path.
 */
export function hardenAuthController(strapi: Core.Strapi, auth: AuthController): AuthController {
  let dummyHash: Promise<string> | undefined;
  const userService = () =>
    strapi.plugin('users-permissions').service('user') as {
      ensureHashedPasswords(values: { password: string }): Promise<{ password: string }>;
      validatePassword(password: string, hash: string): Promise<boolean>;
    };
  // Same cost as a real account's hash (users-permissions' rounds for the password attribute).
  const dummy = () => (dummyHash ??= userService().ensureHashedPasswords({ password: randomBytes(24).toString('hex') }).then((v) => v.password));

  return {
    ...auth,

    async forgotPassword(ctx) {
      const email = emailOf(ctx.request.body);
      runDetached(strapi, 'forgot-password', auth.forgotPassword!, email, ctx.res);
      ctx.send({ ok: true });
    },

    async sendEmailConfirmation(ctx) {
      const email = emailOf(ctx.request.body);
      runDetached(strapi, 'send-email-confirmation', auth.sendEmailConfirmation!, email, ctx.res);
      ctx.send({ email, sent: true });
    },

    async connect(ctx, next) {
      // users-permissions finds the provider by splitting the raw URL on "/connect/"; the router
      // also matches "/api/CONNECT/…", which crashed that split (500).
      const [path] = (ctx.request.url ?? '').split('?');
      if (!path!.includes('/connect/')) throw new errors.NotFoundError('Not Found');
      return auth.connect!(ctx, next);
    },

    async callback(ctx, next) {
      const provider = ctx.params?.provider ?? 'local';
      const body = (ctx.request.body ?? {}) as { identifier?: unknown; password?: unknown };
      if (provider === 'local' && typeof body.identifier === 'string' && typeof body.password === 'string' && body.identifier && body.password) {
        const user = (await strapi.db.query('plugin::users-permissions.user').findOne({
          where: { provider: 'local', $or: [{ email: body.identifier.toLowerCase() }, { username: body.identifier }] },
          select: ['id', 'password'],
        })) as { password?: string | null } | null;
        if (!user?.password) await userService().validatePassword(body.password, await dummy());
      }
      return auth.callback!(ctx, next);
    },
  };
}

interface AdminAuthService {
  checkCredentials(input: { email?: unknown; password?: unknown }): Promise<unknown>;
  validatePassword(password: string, hash: string): Promise<boolean>;
  hashPassword(password: string): Promise<string>;
}

/** The admin panel's sign-in, with the same comparison for an unknown e-mail as for a known one. */
export function equaliseAdminSignIn(strapi: Core.Strapi): void {
  const auth = strapi.service('admin::auth') as unknown as AdminAuthService | undefined;
  if (!auth || (auth.checkCredentials as { equalised?: true }).equalised) return;
  const original = auth.checkCredentials.bind(auth);
  let dummyHash: Promise<string> | undefined;
  const equalised = async (input: { email?: unknown; password?: unknown }) => {
    const email = typeof input?.email === 'string' ? input.email : '';
    const user = email
      ? ((await strapi.db.query('admin::user').findOne({ where: { email }, select: ['id', 'password'] })) as { password?: string | null } | null)
      : null;
    if (!user?.password) {
      dummyHash ??= auth.hashPassword(randomBytes(24).toString('hex'));
      await auth.validatePassword(typeof input?.password === 'string' ? input.password : '', await dummyHash);
    }
    return original(input);
  };
  auth.checkCredentials = Object.assign(equalised, { equalised: true as const });
}
