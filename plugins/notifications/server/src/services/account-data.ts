/**
 * A learner's own data: the export (everything domain/erasure.ts lists that the learner owns, one
 * JSON document) and the erasure (in one transaction: each holder's rows deleted or anonymised,
 * then the account). Holders whose plugin is not enabled are skipped.
 */
import type { Core } from '@strapi/strapi';
import { USER_UID, modelNames, qualifiedTable, rawConnection } from '@kp/platform';
import { OUTBOX_UID } from '../content-types';
import { HOLDERS, withoutSecrets, type Holder } from '../domain/erasure';

type Row = Record<string, unknown> & { id: number };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const present = (h: Holder) => Boolean(strapi.db.metadata.get(h.uid as never));

  function ownedWhere(h: Holder, userId: number): Record<string, unknown> {
    return 'relation' in h.owner ? { [h.owner.relation]: { id: userId } } : { [h.owner.column]: userId };
  }

  return {
    /** Every row the platform holds about `userId`, by holder; null when there is no such user. */
    async export(userId: number): Promise<Record<string, unknown> | null> {
      const user = (await strapi.db.query(USER_UID).findOne({ where: { id: userId }, populate: { role: { select: ['type', 'name'] } } })) as Row | null;
      if (!user) return null;
      const out: Record<string, unknown> = { exportedAt: new Date().toISOString(), account: withoutSecrets(user) };
      for (const h of HOLDERS) {
        if (!present(h)) continue;
        const where = h.uid === OUTBOX_UID ? { $or: [{ userId }, { recipient: String(user.email ?? '') }] } : ownedWhere(h, userId);
        out[h.exportAs] = await strapi.db.query(h.uid as never).findMany({ where, orderBy: { id: 'asc' } });
      }
      return out;
    },

    /** Whether `password` is the account's password. */
    async passwordMatches(userId: number, password: string): Promise<boolean> {
      const user = (await strapi.db.query(USER_UID).findOne({ where: { id: userId }, select: ['password'] })) as { password?: string | null } | null;
      if (!user?.password) return false;
      const service = strapi.plugin('users-permissions').service('user') as { validatePassword(p: string, h: string): Promise<boolean> };
      return service.validatePassword(password, user.password);
    },

    /** Erases the account: what each holder says, then the user row, in one transaction. Returns the counts per holder. */
    async erase(userId: number, now = new Date()): Promise<Record<string, { deleted: number; anonymised: number }>> {
      return strapi.db.transaction(async () => {
        const user = (await strapi.db.query(USER_UID).findOne({ where: { id: userId }, select: ['id', 'email'] })) as { id: number; email: string | null } | null;
        if (!user) return {};
        const counts: Record<string, { deleted: number; anonymised: number }> = {};
        for (const h of HOLDERS) {
          if (!present(h)) continue;
          const where = h.uid === OUTBOX_UID ? { $or: [{ userId }, { recipient: String(user.email ?? '') }] } : ownedWhere(h, userId);
          const rows = (await strapi.db.query(h.uid as never).findMany({ where, select: ['id', ...(h.uid === 'plugin::learning.certificate' ? ['code'] : [])] })) as Array<{ id: number; code?: string }>;
          const ids = rows.map((r) => r.id);
          counts[h.exportAs] = { deleted: 0, anonymised: 0 };
          if (ids.length === 0) continue;
          if (h.erase.action === 'delete') {
            const { count } = await strapi.db.query(h.uid as never).deleteMany({ where: { id: { $in: ids } } });
            counts[h.exportAs]!.deleted = count;
          } else {
            for (const row of rows) {
              const data = h.erase.set(row, now);
              if (Object.keys(data).length > 0) await strapi.db.query(h.uid as never).update({ where: { id: row.id }, data });
            }
            // The link to the account goes (the user row's delete does not reach link tables of one-way relations).
            if ('relation' in h.owner) {
              const j = modelNames(strapi, h.uid).join(h.owner.relation);
              await rawConnection(strapi)(qualifiedTable(strapi, j.table)).whereIn(j.from, ids).andWhere(j.to, userId).del();
            }
            counts[h.exportAs]!.anonymised = ids.length;
          }
        }
        await strapi.db.query(USER_UID).delete({ where: { id: userId } });
        return counts;
      });
    },
  };
};
