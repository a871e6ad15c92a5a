/**
 * The gate on every content-API read path.
 *
 * Output: `strapi.contentAPI.sanitize.output` — what every content-API controller that sanitises
 * calls, core ones included — is wrapped so that each response is gated as a whole before Strapi
 * sanitises it: ONE walk finds every chapter in it (lists, single entries, relations populated in
 * any form at any depth), ONE facts query (chapter rows → published course, its access and its
 * instructor's user) and at most ONE entitlement query (none for anonymous callers) decide them
 * all, and locked chapters lose their gated fields while every chapter gets `locked`. Facts live
 * on the request's state and die with it: nothing is cached across requests.
 * A `content-api.output` registry sanitizer (the hook users-permissions uses, applied entry by
 * entry) is the backstop for output sanitised some other way; entries already gated carry a
 * symbol marker and are skipped, so the normal path pays for one walk only.
 *
 * Input: Strapi 5.54 has no registry hook for query sanitizers or validators (only
 * `content-api.input`, for bodies), so `validate.query`/`sanitize.query` (and their filters, sort
 * and populate parts) are wrapped to refuse, with a 400, any condition or ordering on a gated
 * field — `filters`, `sort`, the same inside `populate[...]`, and `_q` on chapters — so that no
 * query can become an oracle on content the caller cannot read.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { decideAccess } from '../domain/decide-access';
import { collectEntities, findGatedQueryUse, type GatedFields, type GetModel, type ModelLike } from '../domain/schema-walk';
import type { AccessConfig, Caller, EntitlementFacts } from '../domain/types';
import { accessConfig } from './config-access';
import { loadChapterFacts, loadEntitlements, type ChapterRowFacts } from './queries';
import { CHAPTER_UID } from './schema-names';
import type { MediaLinks } from './media-links';

/** Chapter fields that only readers with access receive. */
export const GATED_CHAPTER_FIELDS = ['body', 'video', 'attachments'] as const;
const GATED_MEDIA_FIELDS = ['video', 'attachments'] as const;
export const GATED_FIELDS: GatedFields = new Map([[CHAPTER_UID, new Set<string>(GATED_CHAPTER_FIELDS)]]);
/** Marks a response entry the gate has processed; a symbol, so no stored data can carry it. */
const GATED = Symbol('paywall.gated');

interface RequestState {
  caller: Caller;
  /** Read once per request: reading plugin config per chapter showed in profiles. */
  config: AccessConfig;
  /** Chapter row id → facts (null: no such row). */
  facts: Map<number, ChapterRowFacts | null>;
  entitlements: EntitlementFacts[];
  /** Course documentIds the entitlement facts above were read for. */
  entitlementCourses: Set<string>;
}

type Ctx = { state?: { user?: { id?: unknown }; auth?: { strategy?: { name?: string } } } };

/** A learner only when users-permissions authenticated the request (never an admin or API token). */
export function callerFromContext(ctx: Ctx | undefined): Caller {
  const user = ctx?.state?.user;
  const strategy = ctx?.state?.auth?.strategy?.name;
  if (strategy === 'users-permissions' && user && typeof user.id === 'number' && Number.isInteger(user.id)) {
    return { kind: 'user', userId: user.id };
  }
  return { kind: 'anonymous' };
}

function rowId(entity: Record<string, unknown>): number | null {
  const id = entity.id;
  if (typeof id === 'number' && Number.isInteger(id)) return id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id);
  return null;
}

export function createGate(strapi: Core.Strapi, links: MediaLinks) {
  const states = new WeakMap<object, RequestState>();
  // Schemas are fixed once Strapi has loaded: memoise the look-ups the walks make for every object.
  const models = new Map<string, ModelLike | undefined>();
  const getModel: GetModel = (uid) => {
    if (models.has(uid)) return models.get(uid);
    const m = strapi.getModel(uid as never) as unknown as ModelLike | undefined;
    models.set(uid, m);
    return m;
  };

  function requestState(): RequestState {
    const ctx = strapi.requestContext.get() as (Ctx & object) | undefined;
    const fresh = (): RequestState => ({
      caller: callerFromContext(ctx),
      config: accessConfig(strapi),
      facts: new Map(),
      entitlements: [],
      entitlementCourses: new Set(),
    });
    // Outside a request (a script sanitising output) nothing is shared: anonymous, fresh facts.
    if (!ctx) return fresh();
    let st = states.get(ctx);
    if (!st) {
      st = fresh();
      states.set(ctx, st);
    }
    return st;
  }

  /** Looks up, in batch, whatever the request state lacks to decide on these chapters. */
  async function prepare(st: RequestState, chapters: Array<Record<string, unknown>>, now: Date): Promise<void> {
    const missing = new Set<number>();
    for (const c of chapters) {
      const id = rowId(c);
      if (id !== null && !st.facts.has(id)) missing.add(id);
    }
    if (missing.size > 0) {
      const loaded = await loadChapterFacts(strapi, [...missing]);
      for (const id of missing) st.facts.set(id, loaded.get(id) ?? null);
    }
    const caller = st.caller;
    if (caller.kind === 'anonymous') return;
    const config = st.config;
    // Only courses where the entitlements can change the answer: not free, not preview, not the
    // caller's own, published.
    const need = new Set<string>();
    for (const c of chapters) {
      const id = rowId(c);
      const f = id === null ? null : st.facts.get(id);
      if (!f || !f.course) continue;
      const d = decideAccess(caller, f.course, f.chapter, [], now, config);
      if (!d.allowed && d.reason === 'no-entitlement' && !st.entitlementCourses.has(f.course.documentId)) need.add(f.course.documentId);
    }
    if (need.size === 0) return;
    const rows = await loadEntitlements(strapi, caller.userId, [...need]);
    for (const r of rows) st.entitlements.push(r.facts);
    for (const d of need) st.entitlementCourses.add(d);
  }

  function rewriteFile(file: unknown, userId: number, now: Date): void {
    if (!file || typeof file !== 'object') return;
    const f = file as { id?: unknown; url?: unknown; previewUrl?: unknown; formats?: unknown };
    if (typeof f.id !== 'number') return;
    if (!links.isMediaLink(f.url)) f.url = links.link(f.id, userId, null, now);
    // A preview image of a video is served from the same private storage: through the route too.
    if (typeof f.previewUrl === 'string' && !links.isMediaLink(f.previewUrl)) f.previewUrl = null;
    if (f.formats && typeof f.formats === 'object') {
      for (const [name, fmt] of Object.entries(f.formats as Record<string, unknown>)) {
        if (fmt && typeof fmt === 'object' && !links.isMediaLink((fmt as { url?: unknown }).url)) {
          (fmt as { url?: unknown }).url = links.link(f.id, userId, name, now);
        }
      }
    }
  }

  /** Decides on each chapter and applies the verdict in place. */
  function apply(st: RequestState, chapters: Array<Record<string, unknown>>, now: Date): void {
    const config = st.config;
    const userId = st.caller.kind === 'user' ? st.caller.userId : 0;
    for (const c of chapters) {
      const id = rowId(c);
      const f = id === null ? null : st.facts.get(id);
      // No id or no such row: nothing proves the caller may read it, so it is locked.
      const allowed = f ? decideAccess(st.caller, f.course, f.chapter, st.entitlements, now, config).allowed : false;
      if (!allowed) {
        for (const field of GATED_CHAPTER_FIELDS) delete c[field];
        c.locked = true;
        continue;
      }
      c.locked = false;
      for (const field of GATED_MEDIA_FIELDS) {
        const v = c[field];
        if (Array.isArray(v)) for (const file of v) rewriteFile(file, userId, now);
        else rewriteFile(v, userId, now);
      }
    }
  }

  function chaptersIn(uid: string | undefined, data: unknown): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    if (uid) collectEntities(uid, data, getModel, CHAPTER_UID, out);
    return out;
  }

  /** Gates everything under `data` in place, and marks its top-level entries as gated. */
  async function gateTree(uid: string | undefined, data: unknown): Promise<void> {
    const chapters = chaptersIn(uid, data);
    if (chapters.length > 0) {
      const st = requestState();
      const now = new Date();
      await prepare(st, chapters, now);
      apply(st, chapters, now);
    }
    for (const root of Array.isArray(data) ? data : [data]) {
      if (root && typeof root === 'object') (root as Record<symbol, unknown>)[GATED] = true;
    }
  }

  return {
    /**
     * The whole response of one `sanitize.output` call, before Strapi sanitises it entry by entry:
     * one walk, one facts query, at most one entitlement query, applied in place.
     */
    gateResponse: gateTree,

    /**
     * The per-entry backstop (registry sanitizer): an entry already gated as part of its response
     * carries the marker (Strapi's sanitizers clone entries with their symbol keys) and is left as
     * is; anything else — output sanitised without going through `sanitize.output` — is gated here.
     */
    async enforce(uid: string | undefined, entity: unknown): Promise<void> {
      if (entity && typeof entity === 'object' && (entity as Record<symbol, unknown>)[GATED] === true) return;
      await gateTree(uid, entity);
    },

    /** Throws a 400 when a query uses a gated field as a condition or an ordering. */
    assertQueryAllowed(uid: string | undefined, query: unknown): void {
      if (!uid) return;
      const hit = findGatedQueryUse(uid, query, getModel, GATED_FIELDS);
      if (!hit) return;
      const message =
        hit.path === '_q'
          ? 'Full-text search (_q) is not available on chapters: it would search gated content. Filter on title instead (filters[title][$containsi]=...).'
          : `Filtering or sorting on gated chapter content (${GATED_CHAPTER_FIELDS.join(', ')}) is not allowed through the content API (${hit.path}). Use public fields such as title, position or isPreview.`;
      throw new errors.ValidationError(message, { key: hit.path, path: hit.path, source: 'query' });
    },
  };
}

export type Gate = ReturnType<typeof createGate>;
