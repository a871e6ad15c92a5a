import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { CERTIFICATE_UID, PROGRESS_UID } from './constants';
import { decideRevocation, revocationMessage, type CertificateState } from './domain/certificate';

/** The Document Service actions that write. */
const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

export interface DocumentContext {
  uid: string;
  action: string;
  params: Record<string, unknown>;
}

/**
 * Editors' writes on this plugin's records, wherever they come from (the Content Manager, a
 * script, another plugin): all of them go through the Document Service, so the rule lives here
 * and not in the admin UI. Progress is read-only (learners write it through POST /api/progress);
 * certificates are never created or deleted by hand, and an update may only revoke (state +
 * reason, time stamped here) or correct a revocation's reason: every other field sent is
 * dropped. This plugin's own services write through the Query Engine, below this guard.
 * Refusals are PolicyErrors: Strapi's route `authorize` step keeps their message (a plain
 * ForbiddenError would reach the editor as a bare "Forbidden").
 */
export function createDocumentGuard(strapi: Core.Strapi) {
  return async (ctx: DocumentContext, next: () => Promise<unknown>): Promise<unknown> => {
    if (!WRITE_ACTIONS.has(ctx.action)) return next();
    if (ctx.uid === PROGRESS_UID) {
      throw new errors.PolicyError('Progress is read-only here: learners record it through POST /api/progress.');
    }
    if (ctx.uid !== CERTIFICATE_UID) return next();
    if (ctx.action !== 'update') {
      throw new errors.PolicyError(
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
    if (state !== undefined && state !== 'valid' && state !== 'revoked') {
      throw new errors.ValidationError('state must be "valid" or "revoked".');
    }
    const reason = data.revokedReason;
    if (reason !== undefined && reason !== null && typeof reason !== 'string') {
      throw new errors.ValidationError('revokedReason must be a text.');
    }
    const decision = decideRevocation(
      { state: current.state === 'revoked' ? 'revoked' : 'valid', revokedReason: current.revokedReason },
      { state: state as CertificateState | undefined, revokedReason: reason as string | null | undefined },
      new Date()
    );
    if (!decision.ok) throw new errors.ValidationError(revocationMessage(decision.reason));

    const kept: Record<string, unknown> = { ...(decision.changes ?? {}) };
    if (data.updatedBy !== undefined) kept.updatedBy = data.updatedBy; // who revoked, as the admin panel records it
    ctx.params = { ...ctx.params, data: kept };
    if (decision.changes && 'state' in decision.changes) {
      strapi.log.info(`[learning] certificate ${documentId} revoked: ${decision.changes.revokedReason}`);
    }
    return next();
  };
}
