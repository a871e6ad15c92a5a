import type { Core } from '@strapi/strapi';
import { neighbour, requireNeighbour, type AccessDecision, type InteractionInput } from '@kp/platform';

/** What this plugin tells the recommender: a chapter completed, a course completed. */
export type LearningSignal = InteractionInput & { kind: 'progress' | 'complete' };

/**
 * This plugin's view of its neighbours, through their contracts. The paywall decides who may
 * read what: without it, nothing is recorded (fail closed, 503). The recommender only listens:
 * without it, or when it fails, the learner's write stands.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const access = () => requireNeighbour(strapi, 'paywall', 'Progress cannot be recorded').access;

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
    async signal(input: LearningSignal): Promise<void> {
      // A recommender installed without its `interactions` service counts as absent.
      const interactions = neighbour(strapi, 'recommender')?.interactions;
      if (!interactions) return;
      try {
        await interactions.record(input);
      } catch (error) {
        strapi.log.warn(`[learning] recommender signal "${input.kind}" for course ${input.courseDocumentId} failed: ${(error as Error)?.message ?? error}`);
      }
    },
  };
};
