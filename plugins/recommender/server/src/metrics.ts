import type { Core } from '@strapi/strapi';
import { platformGauge, type IndexStatus } from '@kp/platform';
import { getService } from './utils';

const STATES: ReadonlyArray<IndexStatus['state']> = ['empty', 'building', 'ready', 'failed'];

/** The index of this instance in the app's Prometheus registry, read at each scrape. */
export function registerIndexMetrics(strapi: Core.Strapi): void {
  const status = () => getService(strapi, 'course-index').status();
  platformGauge(strapi, {
    name: 'kp_recommender_index_state',
    help: 'State of this instance’s recommender index (1 for the current state)',
    labelNames: ['state'],
    collect() {
      const current = status().state;
      for (const state of STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  platformGauge(strapi, {
    name: 'kp_recommender_index_size',
    help: 'What the recommender index holds, by kind',
    labelNames: ['kind'],
    collect() {
      const s = status();
      this.set({ kind: 'courses' }, s.courses);
      this.set({ kind: 'learners' }, s.learners);
      this.set({ kind: 'interactions' }, s.interactions);
      this.set({ kind: 'terms' }, s.terms);
    },
  });
  platformGauge(strapi, {
    name: 'kp_recommender_index_build_seconds',
    help: 'Wall time of the last finished index build',
    collect() {
      const ms = status().durationMs;
      if (ms !== null) this.set(ms / 1000);
    },
  });
}
