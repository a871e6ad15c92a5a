/**
 * Personal, cold-start and similar-course lists, as the REST API returns them: course fields in
 * the requested locale, a score and the reasons. Reads per request: the learner's latest
 * interactions (one indexed query) and, when the paywall is installed, their entitlements; the
 * rest comes from the in-memory index.
 */
import { neighbour } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import type { Recommendation } from '../domain/engine';
import { presentList, type PresentContext, type PresentedCourse, type RatingFacts } from '../domain/present';
import { learnerSignals, type InteractionEvent } from '../domain/signals';
import { pluginConfig } from '../config';
import { getService } from '../utils';

/** One course in a list: what a card needs, the locale it is in, its score and why. */
export type RecommendedCourse = PresentedCourse;

export interface RecommendationList {
  data: RecommendedCourse[];
  meta: { kind: 'personal' | 'cold-start' | 'similar'; locale: string; limit: number; index: 'ready' | 'building' | 'empty' | 'failed' };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const index = () => getService(strapi, 'course-index');
  // Optional here: without the paywall, lists are built from interactions alone.
  const paywall = neighbour(strapi, 'paywall');
  // Optional too: without the community plugin, no reason cites learner ratings.
  const community = neighbour(strapi, 'community');

  /** Courses the learner is entitled to on their own (purchases, grants), as purchase events. */
  async function entitledCourses(userId: number, now: Date): Promise<InteractionEvent[]> {
    if (!paywall) return [];
    try {
      const entitlements = await paywall.entitlements.listForUser(userId, { now });
      return entitlements
        .filter((e) => e.courseDocumentId)
        .map((e) => ({
          itemId: e.courseDocumentId as string,
          kind: 'purchase' as const,
          at: e.validFrom.getTime(),
        }));
    } catch (error) {
      // The list still works from interactions alone.
      strapi.log.warn(`recommender: entitlements unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** The listed courses' learner ratings (one statement, cached by the community plugin); none when it is absent or fails. */
  async function ratingsOf(list: Recommendation[]): Promise<ReadonlyMap<string, RatingFacts> | undefined> {
    const minCount = pluginConfig(strapi, 'ratedReasonMinCount');
    if (!community || minCount <= 0 || list.length === 0) return undefined;
    try {
      return await community.ratings.forCourses(list.map((r) => r.itemId));
    } catch (error) {
      strapi.log.warn(`recommender: ratings unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async function present(list: Recommendation[], locale: string, defaultLocale: string, mode: PresentContext['mode']): Promise<RecommendedCourse[]> {
    const labels = index().labels();
    const ratings = await ratingsOf(list);
    return presentList(list, {
      locale,
      defaultLocale,
      mode,
      card: (id) => index().card(id),
      tagNames: labels.tags,
      categoryNames: labels.categories,
      ...(ratings ? { ratings, ratedReasonMinCount: pluginConfig(strapi, 'ratedReasonMinCount') } : {}),
    });
  }

  return {
    /** Personal recommendations for a learner; cold start for anonymous callers and empty histories. */
    async forCaller(userId: number | null, opts: { limit: number; locale: string; defaultLocale: string }): Promise<RecommendationList> {
      const engine = index().engine();
      const state = index().status().state;
      const meta = { locale: opts.locale, limit: opts.limit, index: state };
      if (!engine) return { data: [], meta: { kind: userId ? 'personal' : 'cold-start', ...meta } };
      if (userId === null) {
        return { data: await present(engine.coldStart({ limit: opts.limit }), opts.locale, opts.defaultLocale, 'cold-start'), meta: { kind: 'cold-start', ...meta } };
      }
      const now = new Date();
      const [history, entitled] = await Promise.all([
        getService(strapi, 'interactions').historyOf(userId, pluginConfig(strapi, 'historyLimit')),
        entitledCourses(userId, now),
      ]);
      const signals = learnerSignals([...entitled, ...history], now.getTime(), engine.config, entitled.map((e) => e.itemId));
      // Personal when something in the history is in the index (an unpublished course still counts).
      const personal = [...signals.weights.keys()].some((id) => engine.indexOf(id) >= 0);
      const list = engine.recommend(signals, { limit: opts.limit });
      return {
        data: await present(list, opts.locale, opts.defaultLocale, personal ? 'personal' : 'cold-start'),
        meta: { kind: personal ? 'personal' : 'cold-start', ...meta },
      };
    },

    /** Courses similar to a published course; null when it is not (or no longer) published. */
    async similar(documentId: string, opts: { limit: number; locale: string; defaultLocale: string }): Promise<RecommendationList | null> {
      const engine = index().engine();
      const list = engine?.similar(documentId, { limit: opts.limit });
      if (!list) return null;
      return {
        data: await present(list, opts.locale, opts.defaultLocale, 'similar'),
        meta: { kind: 'similar', locale: opts.locale, limit: opts.limit, index: index().status().state },
      };
    },
  };
};
