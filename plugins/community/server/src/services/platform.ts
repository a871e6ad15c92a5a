import type { Core } from '@strapi/strapi';
import { neighbour, requireNeighbour, type AccessDecision } from '@kp/platform';
import { recommenderSignal } from '../domain/rating';

/**
 * This plugin's view of its neighbours, through their contracts. The paywall decides who reads
 * what: without it nobody may post (fail closed, 503). The recommender only listens.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const access = () => requireNeighbour(strapi, 'paywall', 'Community posts need the access decision').access;
  return {
    decideCourse(userId: number | null, courseDocumentId: string, now: Date): Promise<AccessDecision> {
      return access().decideCourse(userId === null ? null : { id: userId }, courseDocumentId, now);
    },
    decideChapter(userId: number | null, chapterDocumentId: string, now: Date): Promise<AccessDecision> {
      return access().decideChapter(userId === null ? null : { id: userId }, chapterDocumentId, now);
    },
    /** A rating as a recommender interaction (`rate` with the stars); never throws (runs after the commit). */
    async ratingSignal(userId: number, courseDocumentId: string, stars: number, at: Date): Promise<void> {
      const signal = recommenderSignal(stars);
      const interactions = neighbour(strapi, 'recommender')?.interactions;
      if (!signal || !interactions) return;
      try {
        await interactions.record({ userId, courseDocumentId, kind: signal.kind, value: signal.value, at });
      } catch (error) {
        strapi.log.warn(`[community] recommender signal for course ${courseDocumentId} failed: ${(error as Error)?.message ?? error}`);
      }
    },
  };
};
