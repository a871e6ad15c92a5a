import type { Core } from '@strapi/strapi';
import { PROGRESS_UID } from '@kp/platform';
import { CERTIFICATE_UID } from './constants';

/** Fields an editor may change in the Content Manager; every other field is shown read-only. */
const EDITABLE: Record<string, string[]> = {
  [PROGRESS_UID]: [],
  [CERTIFICATE_UID]: ['state', 'revokedReason'],
};

interface CmConfiguration {
  settings: unknown;
  layouts: unknown;
  metadatas: Record<string, { edit?: { editable?: boolean } }>;
}
interface CmContentTypes {
  findConfiguration(ct: { uid: string }): Promise<CmConfiguration | null>;
  updateConfiguration(ct: { uid: string }, conf: Omit<CmConfiguration, 'uid'>): Promise<unknown>;
}

/**
 * Shows progress and certificates read-only in the Content Manager (state and reason of a
 * certificate excepted). Only the interface: the Document Service guard enforces it.
 */
async function lockContentManagerFields(strapi: Core.Strapi): Promise<void> {
  const service = strapi.plugin('content-manager')?.service('content-types') as CmContentTypes | undefined;
  if (!service) return;
  for (const [uid, editable] of Object.entries(EDITABLE)) {
    const contentType = strapi.contentType(uid as Parameters<typeof strapi.contentType>[0]);
    if (!contentType) continue;
    const conf = await service.findConfiguration({ uid });
    if (!conf?.metadatas) continue;
    let changed = false;
    for (const [field, meta] of Object.entries(conf.metadatas)) {
      if (!meta?.edit || !(field in contentType.attributes)) continue;
      const want = editable.includes(field);
      if (meta.edit.editable !== want) {
        meta.edit.editable = want;
        changed = true;
      }
    }
    if (changed) await service.updateConfiguration({ uid }, { settings: conf.settings, metadatas: conf.metadatas, layouts: conf.layouts });
  }
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  try {
    await lockContentManagerFields(strapi);
  } catch (error) {
    strapi.log.warn(`[learning] could not set the Content Manager's read-only fields: ${(error as Error).message}`);
  }
};
