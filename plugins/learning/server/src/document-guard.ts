import type { Core } from '@strapi/strapi';
import { CERTIFICATE_STATES, PROGRESS_UID, httpError, isDocumentWrite, type CertificateState, type DocumentMiddleware } from '@kp/platform';
import { CERTIFICATE_UID } from './constants';
import { decideRevocation, revocationMessage } from './domain/certificate';

/**
 * Editors' writes on this plugin's records, wherever they come from (the Content Manager, a
 * script, another plugin): all of them go through the Document Service, so the rule lives here
 * and not in the admin UI. Progress is read-only (learners write it through POST /api/progress);
 * certificates are never created or deleted by hand, and an update may only revoke (state +
 * reason, time stamped here) or correct a revocation's reason: every other field sent is
 * dropped. This plugin's own services write through the Query Engine, below this guard.
 * Refusals are the kernel's 403s: Strapi's route `authorize` step keeps their message (its own
 * ForbiddenError would reach the editor as a bare "Forbidden").
 */
export function createDocumentGuard(strapi: Core.Strapi): DocumentMiddleware {
  return async (ctx, next) => {
    if (!isDocumentWrite(ctx.action)) return next();
    if (ctx.uid === PROGRESS_UID) {
      throw httpError(403, 'Progress is read-only here: learners record it through POST /api/progress.');
    }
    if (ctx.uid !== CERTIFICATE_UID) return next();
    if (ctx.action !== 'update') {
      throw httpError(
        403,
        'Certificates are issued when a learner completes a course and are never created or deleted by hand: revoke one instead (state "revoked" with a reason).'
      );
    }

    const documentId = typeof ctx.params.documentId === 'string' ? ctx.params.documentId : null;
    const current = documentId
      ? ((await strapi.db.query(CERTIFICATE_UID).findOne({ where: { documentId }, select: ['state', 'revokedReason'] })) as {
          state: CertificateState | null;
          revokedReason: string | null;
        } | null)
      : null;
    if (!current) return next(); // unknown document: let the Document Service answer as it does

    const data = (ctx.params.data ?? {}) as Record<string, unknown>;
    const state = data.state;
    if (state !== undefined && !(CERTIFICATE_STATES as readonly unknown[]).includes(state)) {
      throw httpError(400, 'state must be "valid" or "revoked".');
    }
    const reason = data.revokedReason;
    if (reason !== undefined && reason !== null && typeof reason !== 'string') {
      throw httpError(400, 'revokedReason must be a text.');
    }
    const decision = decideRevocation(
      { state: current.state === 'revoked' ? 'revoked' : 'valid', revokedReason: current.revokedReason },
      { state: state as CertificateState | undefined, revokedReason: reason as string | null | undefined },
      new Date()
    );
    if (!decision.ok) throw httpError(400, revocationMessage(decision.reason));

    const kept: Record<string, unknown> = { ...(decision.changes ?? {}) };
    if (data.updatedBy !== undefined) kept.updatedBy = data.updatedBy; // who revoked, as the admin panel records it
    ctx.params = { ...ctx.params, data: kept };
    if (decision.changes && 'state' in decision.changes) {
      strapi.log.info(`[learning] certificate ${documentId} revoked: ${decision.changes.revokedReason}`);
    }
    return next();
  };
}
