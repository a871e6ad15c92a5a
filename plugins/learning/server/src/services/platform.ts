import type { Core } from '@strapi/strapi';
import type { AccessDecision } from '../domain/access';
import { serviceUnavailable } from '../errors';

/** The paywall's `access` service, as its contract states it. */
interface PaywallAccess {
  decideCourse(user: { id: number } | null, courseDocumentId: string, now?: Date): Promise<AccessDecision>;
  decideChapter(user: { id: number } | null, chapterDocumentId: string, now?: Date): Promise<AccessDecision>;
}

/** The recommender's `interactions` service, as its contract states it. */
export interface InteractionInput {
  userId: number;
  courseDocumentId: string;
  kind: 'progress' | 'complete';
  weight?: number;
  at?: Date;
}
interface RecommenderInteractions {
  record(input: InteractionInput): Promise<void>;
}

function optionalService<T>(strapi: Core.Strapi, plugin: string, name: string): T | null {
  const p = strapi.plugin(plugin);
  if (!p) return null;
  try {
    return (p.service(name) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * This plugin's view of its neighbours. The paywall decides who may read what: without it,
 * nothing is recorded (fail closed, 503). The recommender only listens: without it, or when it
 * fails, the learner's write stands.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  function access(): PaywallAccess {
    const service = optionalService<Partial<PaywallAccess>>(strapi, 'paywall', 'access');
    if (!service || typeof service.decideChapter !== 'function' || typeof service.decideCourse !== 'function') {
      throw serviceUnavailable('Progress cannot be recorded: the paywall plugin (its `access` service) is not available.');
    }
    return service as PaywallAccess;
  }

  return {
    /** The paywall's verdict on one chapter for this learner. */
    async decideChapter(userId: number, chapterDocumentId: string, now: Date): Promise<AccessDecision> {
      return access().decideChapter({ id: userId }, chapterDocumentId, now);
    },

    /** The paywall's verdict on a whole course for this learner (a certificate needs it). */
    async decideCourse(userId: number, courseDocumentId: string, now: Date): Promise<AccessDecision> {
      return access().decideCourse({ id: userId }, courseDocumentId, now);
    },

    /** Tells the recommender; never throws (called after the learner's write has committed). */
    async signal(input: InteractionInput): Promise<void> {
      const service = optionalService<Partial<RecommenderInteractions>>(strapi, 'recommender', 'interactions');
      if (!service || typeof service.record !== 'function') return;
      try {
        await service.record(input);
      } catch (error) {
        strapi.log.warn(`[learning] recommender signal "${input.kind}" for course ${input.courseDocumentId} failed: ${(error as Error)?.message ?? error}`);
      }
    },
  };
};
