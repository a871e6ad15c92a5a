/**
 * The in-memory recommendation index of this instance: the engine (vectors, co-occurrence,
 * popularity, segments) and a card per published course with its fields in every locale.
 *
 * Built at boot from the database; kept current by the Document Service middleware (register.ts),
 * which broadcasts the documentId of every course written (`recommender.courses`, batched per
 * tick); every instance, this one included, then re-reads those courses (`requestSync`), so a
 * publish through one instance reaches the index of all; after a lost broadcast connection
 * (`platform.resync`) the index is rebuilt;
 * popularity and co-occurrence are refreshed from the interactions table every
 * `statsRefreshSeconds`; an editor can rebuild it from the admin panel. Each instance builds its
 * own from the database: only the ids of written courses travel between instances.
 */
import { broadcast, CATEGORY_UID, COURSE_UID, TAG_UID, type IndexStatus } from '@kp/platform';
import type { Core } from '@strapi/strapi';
import { coursesFromRows, type CourseCard, type CourseRow } from '../domain/catalogue';
import { withDefaults, type EngineConfig } from '../domain/config';
import { CatalogueBuilder } from '../domain/catalogue-builder';
import { RecommenderEngine } from '../domain/engine';
import { computeStats } from '../domain/stats';
import { DEFAULT_REINDEX_SCHEDULE, flushDelay, poolBusy, retryPause, type PoolState } from '../domain/reindex-schedule';
import { pluginConfig } from '../config';
import { getService } from '../utils';

/** Names of tags and categories per locale, for reasons ("About Python, like courses you took"). */
export interface Labels {
  tags: Map<string, Record<string, string>>;
  categories: Map<string, Record<string, string>>;
}

export interface LocaleInfo {
  codes: Set<string>;
  defaultLocale: string;
}

const PAGE = 1000;
const CHUNK = 500;
const LOCALE_TTL_MS = 60_000;

const COURSE_SELECT = ['id', 'documentId', 'locale', 'title', 'summary', 'slug', 'level', 'access', 'price', 'currency', 'publishedAt'];
const COURSE_POPULATE = {
  tags: { select: ['slug'] },
  category: { select: ['slug'] },
  cover: { select: ['url', 'alternativeText', 'width', 'height', 'formats'] },
};

/** Lets requests run between the CPU-heavy steps of a build. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A pause that never keeps the process alive on its own. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function cardBytes(card: CourseCard): number {
  let bytes = 200 + 2 * (card.documentId.length + card.slug.length);
  if (card.cover) bytes += 300 + 2 * card.cover.url.length;
  for (const l of Object.values(card.locales)) bytes += 100 + 2 * (l.title.length + (l.summary?.length ?? 0));
  return bytes;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let engine: RecommenderEngine | null = null;
  let cards = new Map<string, CourseCard>();
  let labels: Labels = { tags: new Map(), categories: new Map() };
  let cardsBytes = 0;
  let statsFingerprint = '';
  /** Courses in the last full build: segments and document frequencies date from it. */
  let builtSize = 0;
  let building: Promise<void> | null = null;
  let touchedDuringBuild: Set<string> | null = null;
  const pending = new Set<string>();
  let flushing: Promise<void> | null = null;
  let lastRequestAt = 0;
  let firstPendingAt = 0;
  let failures = 0;
  let lastFailureAt: number | null = null;
  let stopped = false;
  let statsRefreshing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let locales: (LocaleInfo & { at: number }) | null = null;
  let status: IndexStatus = {
    state: 'empty',
    phase: 'idle',
    progress: 0,
    trigger: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    cpuMs: null,
    timings: {},
    courses: 0,
    terms: 0,
    segments: 0,
    learners: 0,
    interactions: 0,
    memoryBytes: 0,
    statsRefreshedAt: null,
    error: null,
  };

  const engineConfig = (): EngineConfig => withDefaults(pluginConfig(strapi, 'engine'));

  async function loadRows(documentIds?: string[]): Promise<CourseRow[]> {
    const rows: CourseRow[] = [];
    let lastId = 0;
    for (;;) {
      const page = (await strapi.db.query(COURSE_UID).findMany({
        where: {
          publishedAt: { $notNull: true },
          id: { $gt: lastId },
          ...(documentIds ? { documentId: { $in: documentIds } } : {}),
        },
        select: COURSE_SELECT,
        populate: COURSE_POPULATE,
        orderBy: { id: 'asc' },
        limit: PAGE,
      })) as Array<CourseRow & { id: number }>;
      for (const row of page) rows.push(row);
      if (page.length < PAGE) return rows;
      lastId = (page[page.length - 1] as { id: number }).id;
      if (!documentIds && status.state === 'building') status.progress = Math.min(0.3, status.progress + 0.02);
    }
  }

  async function loadLabels(): Promise<Labels> {
    const read = async (uid: typeof TAG_UID | typeof CATEGORY_UID) => {
      const rows = (await strapi.db.query(uid).findMany({ select: ['slug', 'name', 'locale'] })) as Array<{ slug: string | null; name: string | null; locale: string | null }>;
      const map = new Map<string, Record<string, string>>();
      for (const r of rows) {
        if (!r.slug || !r.name) continue;
        const entry = map.get(r.slug) ?? {};
        entry[r.locale ?? 'en'] = r.name;
        map.set(r.slug, entry);
      }
      return map;
    };
    return { tags: await read(TAG_UID), categories: await read(CATEGORY_UID) };
  }

  function refreshCounters(): void {
    if (!engine) return;
    status.courses = engine.size;
    status.terms = engine.vocabularySize;
    status.segments = engine.segmentCount;
    status.learners = engine.learnerCount;
    status.memoryBytes = engine.memoryEstimate() + cardsBytes;
  }

  async function runBuild(trigger: string): Promise<void> {
    const started = Date.now();
    const cpuStart = process.cpuUsage();
    const mark = () => performance.now();
    status = { ...status, state: 'building', phase: 'courses', progress: 0, trigger, startedAt: new Date(started).toISOString(), error: null, timings: {} };
    touchedDuringBuild = new Set();
    const timings: IndexStatus['timings'] = {};
    try {
      const config = engineConfig();
      let t = mark();
      // One query at a time: a build holds at most one connection of the pool.
      const rows = await loadRows();
      const nextLabels = await loadLabels();
      timings.courses = Math.round(mark() - t);

      status.phase = 'vectors';
      status.progress = 0.3;
      t = mark();
      const courses = coursesFromRows(rows);
      const builder = new CatalogueBuilder(config);
      for (let i = 0; i < courses.length; i += CHUNK) {
        builder.add(courses.slice(i, i + CHUNK).map((c) => c.doc));
        status.progress = 0.3 + (0.3 * Math.min(courses.length, i + CHUNK)) / Math.max(courses.length, 1);
        await yieldToLoop();
      }
      const catalogue = builder.finish();
      timings.vectors = Math.round(mark() - t);

      status.phase = 'interactions';
      status.progress = 0.6;
      t = mark();
      const fingerprint = await getService(strapi, 'interactions').fingerprint();
      const { learners, count } = await getService(strapi, 'interactions').allByLearner(pluginConfig(strapi, 'maxStatsInteractions'));
      timings.interactions = Math.round(mark() - t);

      status.phase = 'statistics';
      status.progress = 0.75;
      await yieldToLoop();
      t = mark();
      const index = new Map(catalogue.ids.map((id, i) => [id, i]));
      const stats = computeStats(index, learners.values(), Date.now(), config);
      timings.statistics = Math.round(mark() - t);

      status.phase = 'segments';
      status.progress = 0.85;
      await yieldToLoop();
      t = mark();
      const next = new RecommenderEngine(config, catalogue, stats);
      timings.segments = Math.round(mark() - t);

      // Swap at once: requests see the old index or the new one, never half of one.
      engine = next;
      builtSize = next.size;
      cards = new Map(courses.map((c) => [c.card.documentId, c.card]));
      cardsBytes = courses.reduce((n, c) => n + cardBytes(c.card), 0);
      labels = nextLabels;
      statsFingerprint = fingerprint;
      const finished = Date.now();
      status = {
        ...status,
        state: 'ready',
        phase: 'done',
        progress: 1,
        finishedAt: new Date(finished).toISOString(),
        durationMs: finished - started,
        cpuMs: Math.round((process.cpuUsage(cpuStart).user + process.cpuUsage(cpuStart).system) / 1000),
        timings,
        interactions: count,
        statsRefreshedAt: new Date(finished).toISOString(),
      };
      refreshCounters();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      strapi.log.error(`recommender: index build failed: ${message}`);
      status = { ...status, state: engine ? 'ready' : 'failed', phase: 'idle', progress: 0, error: message, timings };
    } finally {
      // Writes that landed while the build was reading are applied again to the new index.
      const touched = touchedDuringBuild ?? new Set<string>();
      touchedDuringBuild = null;
      for (const id of touched) requestSync(id);
    }
  }

  async function syncCourses(documentIds: string[]): Promise<void> {
    if (!engine) return; // the running (first) build will read them
    const rows = await loadRows(documentIds);
    const nextLabels = await loadLabels();
    const current = engine;
    const found = new Set<string>();
    for (const { doc, card } of coursesFromRows(rows)) {
      found.add(doc.id);
      current.upsert(doc);
      const previous = cards.get(doc.id);
      if (previous) cardsBytes -= cardBytes(previous);
      cards.set(doc.id, card);
      cardsBytes += cardBytes(card);
    }
    for (const id of documentIds) {
      if (found.has(id)) continue;
      current.remove(id);
      const previous = cards.get(id);
      if (previous) cardsBytes -= cardBytes(previous);
      cards.delete(id);
    }
    labels = nextLabels;
    refreshCounters();
  }

  /** The connection pool as the schedule reads it (knex's tarn pool); null when it cannot be read. */
  function poolState(): PoolState | null {
    const pool = (strapi.db.connection as unknown as { client?: { pool?: Record<string, unknown> } }).client?.pool as
      | { numPendingAcquires?: () => number; numUsed?: () => number; max?: number }
      | undefined;
    if (!pool || typeof pool.numPendingAcquires !== 'function' || typeof pool.numUsed !== 'function' || typeof pool.max !== 'number') return null;
    return { pendingAcquires: pool.numPendingAcquires(), used: pool.numUsed(), max: pool.max };
  }

  /**
   * Re-reads the written courses once writes pause and the pool has a free connection
   * (`domain/reindex-schedule.ts`), one query at a time. A failed re-read keeps its courses and is
   * tried again after a growing pause, so the index catches up after a bulk write.
   */
  async function flush(): Promise<void> {
    const schedule = DEFAULT_REINDEX_SCHEDULE;
    while (pending.size > 0 && !stopped) {
      for (;;) {
        const delay = flushDelay({ now: Date.now(), lastRequestAt, firstPendingAt, pool: poolState(), failures, lastFailureAt }, schedule);
        if (delay <= 0 || stopped) break;
        await pause(delay);
      }
      if (stopped) return;
      const ids = [...pending];
      pending.clear();
      try {
        await syncCourses(ids);
        failures = 0;
        lastFailureAt = null;
      } catch (error) {
        for (const id of ids) pending.add(id);
        failures += 1;
        lastFailureAt = Date.now();
        strapi.log.warn(
          `recommender: re-reading ${ids.length} written course(s) failed (${error instanceof Error ? error.message : String(error)}); ` +
            `kept, retrying in ${retryPause(failures, schedule)} ms`
        );
      }
    }
    // Upserts keep a course current at once, but segments and document frequencies are those of
    // the last full build: once the catalogue has grown by half (or had none), build again.
    if (!stopped && engine && !building && (engine.size > builtSize * 1.5 + 5 || (engine.segmentCount === 0 && engine.size > 0))) {
      void build(`catalogue grew from ${builtSize} to ${engine.size} courses`);
    }
  }

  /** Starts a full build unless one is running; resolves when the (running) build ends. */
  function build(trigger: string): Promise<void> {
    building ??= runBuild(trigger).finally(() => {
      building = null;
    });
    return building;
  }

  /** Asks for a re-read of a course (debounced: a burst of writes costs one read, after it). */
  function requestSync(documentId: string): void {
    touchedDuringBuild?.add(documentId);
    const now = Date.now();
    if (pending.size === 0) firstPendingAt = now;
    pending.add(documentId);
    lastRequestAt = now;
    if (flushing || stopped) return;
    flushing = flush().finally(() => {
      flushing = null;
      if (pending.size > 0 && !stopped) requestSync([...pending][0] as string);
    });
  }

  /** Courses written in this tick, broadcast together (a bulk write sends one message per tick). */
  let toAnnounce: Set<string> | null = null;
  /** Until this instance's own copy of the announcement reached `requestSync` (what `settled` waits on). */
  let announcing: Promise<void> | null = null;
  function announceWrite(documentId: string): void {
    if (toAnnounce) {
      toAnnounce.add(documentId);
      return;
    }
    toAnnounce = new Set([documentId]);
    const current: Promise<void> = new Promise<void>((resolve) => {
      setImmediate(() => {
        const documentIds = [...(toAnnounce ?? [])];
        toAnnounce = null;
        // At most 100 ids a message: a NOTIFY payload stays far under PostgreSQL's 8000 bytes.
        const sent: Array<Promise<void>> = [];
        for (let i = 0; i < documentIds.length; i += 100) sent.push(broadcast(strapi, 'recommender.courses', { documentIds: documentIds.slice(i, i + 100) }));
        // The local copy is delivered on the next tick; its handler then calls requestSync.
        void Promise.allSettled(sent).then(() => setImmediate(resolve));
      });
    });
    announcing = current;
    void current.then(() => {
      if (announcing === current) announcing = null;
    });
  }

  return {
    /** Starts a full build unless one is running; resolves when the (running) build ends. */
    build(trigger = 'boot'): Promise<void> {
      return build(trigger);
    },

    /** Starts a rebuild in the background (admin action); says whether one was already running. */
    rebuild(trigger: string): { started: boolean; status: IndexStatus } {
      const started = building === null;
      void build(trigger);
      return { started, status: this.status() };
    },

    status(): IndexStatus {
      return { ...status, timings: { ...status.timings } };
    },

    requestSync,

    /** Tells every instance (this one included) to re-read a written course, after its commit. */
    announceWrite,

    /** A `recommender.courses` message from any instance: re-read what it names (ids only are trusted). */
    applyBroadcast(payload: unknown): void {
      const ids = (payload as { documentIds?: unknown } | null)?.documentIds;
      if (!Array.isArray(ids)) return;
      for (const id of ids) if (typeof id === 'string' && id.length > 0 && id.length <= 64) requestSync(id);
    },

    /** Resolves when no build, re-index or stats refresh is running (tests and benchmarks wait on it). */
    async settled(): Promise<void> {
      while (announcing || building || flushing || statsRefreshing) await (announcing ?? building ?? flushing ?? statsRefreshing);
    },

    /** Recomputes popularity and co-occurrence when the interactions table changed (or always with force). */
    refreshStats(force = false): Promise<void> {
      statsRefreshing ??= (async () => {
        try {
          const current = engine;
          if (!current || building) return;
          // The timer's refresh yields to writers; the next tick tries again.
          if (!force && poolBusy(poolState())) return;
          const interactions = getService(strapi, 'interactions');
          const fingerprint = await interactions.fingerprint();
          if (!force && fingerprint === statsFingerprint) return;
          const { learners, count } = await interactions.allByLearner(pluginConfig(strapi, 'maxStatsInteractions'));
          current.refreshStats(learners.values(), Date.now());
          statsFingerprint = fingerprint;
          status.interactions = count;
          status.statsRefreshedAt = new Date().toISOString();
          refreshCounters();
        } catch (error) {
          strapi.log.error(`recommender: stats refresh failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      })().finally(() => {
        statsRefreshing = null;
      });
      return statsRefreshing;
    },

    startTimers(): void {
      const seconds = pluginConfig(strapi, 'statsRefreshSeconds');
      if (seconds > 0 && !timer) {
        timer = setInterval(() => void this.refreshStats(), seconds * 1000);
        timer.unref();
      }
    },

    stopTimers(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },

    /** Stops background re-reads for good (the server is shutting down: its pool is going away). */
    stop(): void {
      stopped = true;
      this.stopTimers();
    },

    engine(): RecommenderEngine | null {
      return engine;
    },

    card(documentId: string): CourseCard | undefined {
      return cards.get(documentId);
    },

    labels(): Labels {
      return labels;
    },

    /** The locales content can be asked in, cached for a minute. */
    async locales(): Promise<LocaleInfo> {
      if (locales && Date.now() - locales.at < LOCALE_TTL_MS) return locales;
      const service = strapi.plugin('i18n')?.service('locales') as
        | { find(): Promise<Array<{ code: string }>>; getDefaultLocale(): Promise<string | undefined> }
        | undefined;
      const found = service ? await service.find() : [];
      const defaultLocale = (service ? await service.getDefaultLocale() : undefined) ?? 'en';
      locales = { codes: new Set([defaultLocale, ...found.map((l) => l.code)]), defaultLocale, at: Date.now() };
      return locales;
    },
  };
};
