import type { Core } from '@strapi/strapi';
import { SYNCED_TYPES } from './admin-guard';
import { COUPON_MANAGED_FIELDS } from './catalogue-hooks';
import { COUPON_UID } from './content-types';
import { readConfig } from './config';
import { registerInboxMetrics, registerWebhookMetrics } from './metrics';
import { getService } from './utils';

interface FieldMeta {
  edit?: { editable?: boolean } & Record<string, unknown>;
  list?: Record<string, unknown>;
}
interface CmConfiguration {
  metadatas?: Record<string, FieldMeta>;
  [key: string]: unknown;
}
interface CmContentTypes {
  findConfiguration(ct: { uid: string }): Promise<CmConfiguration>;
  updateConfiguration(ct: { uid: string }, config: CmConfiguration): Promise<unknown>;
}

/**
 * Greys the synchronised fields in the Content Manager's edit view (the Document Service guard in
 * admin-guard.ts is what enforces it). Idempotent; only touches `editable` flags.
 */
async function lockSyncedFieldsInContentManager(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager')?.service('content-types') as CmContentTypes | undefined;
  if (!service) return;
  // Whole types mirrored from Stripe, and the Stripe-managed fields of coupons.
  const targets: Array<[string, readonly string[] | null]> = [...SYNCED_TYPES.map((uid): [string, null] => [uid, null]), [COUPON_UID, COUPON_MANAGED_FIELDS]];
  for (const [uid, fields] of targets) {
    if (!strapi.contentType(uid as never)) continue;
    const config = await service.findConfiguration({ uid });
    const metadatas = config.metadatas;
    if (!metadatas) continue;
    let changed = false;
    for (const [field, meta] of Object.entries(metadatas)) {
      if (!meta.edit || meta.edit.editable === false || field === 'id' || field === 'documentId') continue;
      if (fields && !fields.includes(field)) continue;
      meta.edit.editable = false;
      changed = true;
    }
    if (changed) {
      const { uid: _uid, ...rest } = config as CmConfiguration & { uid?: string };
      await service.updateConfiguration({ uid }, rest);
    }
  }
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  try {
    await lockSyncedFieldsInContentManager(strapi);
  } catch (error) {
    // Cosmetic (the guard enforces it): never a reason not to boot.
    strapi.log.warn(`[checkout] could not mark synchronised fields read-only in the Content Manager: ${(error as Error).message}`);
  }
  registerWebhookMetrics(strapi);
  registerInboxMetrics(strapi, () => getService(strapi, 'inbox').stats());
  const settings = readConfig(strapi, 'stripe');
  if (!settings.secretKey) strapi.log.warn('[checkout] STRIPE_SECRET_KEY is not set: checkout routes answer 503.');
  else if (!settings.webhookSecret) strapi.log.warn('[checkout] STRIPE_WEBHOOK_SECRET is not set: the webhook answers 503 and Stripe will retry.');
  // The inbox worker runs where events can arrive (events left pending are applied once Stripe is configured again).
  else if (!getService(strapi, 'inbox-worker').start()) strapi.log.info('[checkout] CHECKOUT_INBOX_WORKER=false: this instance stores webhook events; others apply them.');
};
