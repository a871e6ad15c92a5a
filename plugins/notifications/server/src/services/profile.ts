/** A user's display name and preferred language (the language of their e-mails), one row per user. */
import type { Core } from '@strapi/strapi';
import { USER_UID, retryOnUniqueViolation } from '@kp/platform';
import { PROFILE_UID } from '../content-types';
import { messageLocale } from '../domain/locale';

export interface Profile {
  email: string;
  username: string;
  displayName: string | null;
  preferredLanguage: 'en' | 'zh-Hans';
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const rows = () => strapi.db.query(PROFILE_UID);

  async function read(userId: number): Promise<Profile> {
    const user = (await strapi.db.query(USER_UID).findOne({ where: { id: userId }, select: ['email', 'username'] })) as { email: string; username: string } | null;
    const row = (await rows().findOne({ where: { userId }, select: ['displayName', 'preferredLanguage'] })) as { displayName: string | null; preferredLanguage: string | null } | null;
    return { email: user?.email ?? '', username: user?.username ?? '', displayName: row?.displayName ?? null, preferredLanguage: messageLocale(row?.preferredLanguage) };
  }

  return {
    read,
    /** Creates or updates the caller's profile (two concurrent first writes: the second updates). */
    async update(userId: number, patch: { displayName?: string | null; preferredLanguage?: 'en' | 'zh-Hans' }): Promise<Profile> {
      await retryOnUniqueViolation(strapi, async () => {
        const existing = (await rows().findOne({ where: { userId }, select: ['id'] })) as { id: number } | null;
        if (existing) await rows().update({ where: { id: existing.id }, data: patch });
        else await rows().create({ data: { userId, ...patch } });
      });
      return read(userId);
    },
  };
};
