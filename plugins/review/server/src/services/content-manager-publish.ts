/**
 * An editor who publishes a course from the Content Manager while it waits in the review queue is
 * approving it: without this, the course would go live while the queue, the instructor's list and
 * the audit trail still said "in review". The publish becomes the review's `approve` transition
 * (course and chapters in every locale, recorded as that editor, comment "Published from the
 * Content Manager"), then the Content Manager's own publish runs as usual.
 *
 * Courses in any other review state publish from the Content Manager as before: a course that
 * never entered review (an editor's own) has nothing to record, and an editor who publishes an
 * instructor's draft or a course sent back for changes overrides the workflow on purpose.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { COURSE_UID, type DocumentMiddleware } from '@kp/platform';
import { getService } from '../utils';

interface RequestCtx {
  state?: {
    user?: { id: number; firstname?: string | null; lastname?: string | null; username?: string | null };
    auth?: { strategy?: { name?: string } };
    route?: { info?: { pluginName?: string; type?: string } };
  };
}

/** The route the request reached (the router also matches `/Content-Manager/…`: never test the raw path). */
function fromContentManager(ctx: RequestCtx | undefined): boolean {
  const info = ctx?.state?.route?.info;
  return info?.pluginName === 'content-manager' && info.type === 'admin';
}

/** Set while the approval publishes, so that its own publish calls pass straight through. */
const approving = new AsyncLocalStorage<true>();

export const APPROVED_FROM_CONTENT_MANAGER = 'Published from the Content Manager';

export function contentManagerPublishMiddleware(strapi: Core.Strapi): DocumentMiddleware<{ documentId?: string } | undefined> {
  return async (context, next) => {
    if (context.uid !== COURSE_UID || context.action !== 'publish' || approving.getStore()) return next();
    const ctx = strapi.requestContext.get() as unknown as RequestCtx | undefined;
    const documentId = context.params?.documentId;
    const user = ctx?.state?.user;
    if (!documentId || !user || ctx?.state?.auth?.strategy?.name !== 'admin' || !fromContentManager(ctx)) return next();

    const submissions = getService(strapi, 'submissions');
    const record = await submissions.get(documentId);
    if (record?.state === 'in_review') {
      const actor = await submissions.editorActor(user);
      const outcome = await approving.run(true, () => submissions.approve(documentId, actor, APPROVED_FROM_CONTENT_MANAGER));
      if (!outcome.ok) {
        strapi.log.warn(`[review] publishing ${documentId} from the Content Manager did not approve it: ${outcome.reason}`);
      }
    }
    return next();
  };
}
