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
 * Files: a gated file never leaves with what names where it is stored (hash, ext, provider
 * metadata, bucket URLs). In a readable chapter its urls become the reader's signed links; met
 * anywhere else (a cover that is also a lesson attachment, the upload plugin's own routes), one
 * statement tells which files are chapter media, and those point at the media route's bare path.
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
import { httpError } from '@kp/platform';
import { decideAccess } from '../domain/decide-access';
import { collectEntitiesByType, findGatedQueryUse, type GatedFields, type GetModel, type ModelLike } from '../domain/schema-walk';
import type { AccessConfig, Caller, EntitlementFacts } from '../domain/types';
import { accessConfig, paywallNow } from './config-access';
import { gatedMediaFileIds, loadChapterFacts, loadEntitlements, type ChapterRowFacts } from './queries';
import { CHAPTER_UID, FILE_UID } from './schema-names';
import type { MediaLinks } from './media-links';

/** Chapter fields that only readers with access receive. */
export const GATED_CHAPTER_FIELDS = ['body', 'video', 'attachments'] as const;
const GATED_MEDIA_FIELDS = ['video', 'attachments'] as const;
export const GATED_FIELDS: GatedFields = new Map([[CHAPTER_UID, new Set<string>(GATED_CHAPTER_FIELDS)]]);
/** Marks a response entry the gate has processed; a symbol, so no stored data can carry it. */
const GATED = Symbol('paywall.gated');
const WANTED = new Set([CHAPTER_UID, FILE_UID]);
/**
 * What names where a gated file's bytes are kept (its storage name, its provider's object keys,
 * bucket URLs): never sent for a gated file, whoever asks. Its `url` becomes a link to the media
 * route instead. `previewUrl` is a provider-made preview stored beside the file.
 */
const FILE_STORAGE_FIELDS = ['hash', 'ext', 'provider', 'provider_metadata', 'previewUrl'] as const;
const FORMAT_STORAGE_FIELDS = ['hash', 'ext', 'path', 'provider_metadata'] as const;

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

  /**
   * Removes a gated file's storage details in place and points its `url` (and each format's) at
   * the media route: `urlFor(format)` gives a reader's signed link or the bare route path; null
   * (a file selected without its id) leaves no url at all.
   */
  function hideStorage(file: Record<string, unknown>, urlFor: ((format: string | null) => string) | null): void {
    const setUrl = (o: Record<string, unknown>, format: string | null) => {
      if (links.isSignedLink(o.url)) return;
      try {
        if (urlFor) {
          o.url = urlFor(format);
          return;
        }
      } catch {
        // A format name no link can carry: it goes without a url rather than with its stored one.
      }
      delete o.url;
    };
    setUrl(file, null);
    for (const k of FILE_STORAGE_FIELDS) delete file[k];
    const formats = file.formats;
    if (formats && typeof formats === 'object') {
      for (const [name, fmt] of Object.entries(formats as Record<string, unknown>)) {
        if (!fmt || typeof fmt !== 'object') continue;
        const f = fmt as Record<string, unknown>;
        setUrl(f, name);
        for (const k of FORMAT_STORAGE_FIELDS) delete f[k];
      }
    }
  }

  /** The media of a readable chapter: links signed for this reader, no storage details. */
  function rewriteFile(file: unknown, userId: number, now: Date, handled: Set<object>): void {
    if (!file || typeof file !== 'object') return;
    const f = file as Record<string, unknown>;
    handled.add(f);
    const id = f.id;
    hideStorage(f, typeof id === 'number' ? (format) => links.link(id, userId, format, now) : null);
  }

  /** Decides on each chapter and applies the verdict in place; the files it dealt with go in `handled`. */
  function apply(st: RequestState, chapters: Array<Record<string, unknown>>, now: Date, handled: Set<object>): void {
    const config = st.config;
    const userId = st.caller.kind === 'user' ? st.caller.userId : 0;
    for (const c of chapters) {
      const id = rowId(c);
      const f = id === null ? null : st.facts.get(id);
      // No id or no such row: nothing proves the caller may read it, so it is locked.
      const decision = f ? decideAccess(st.caller, f.course, f.chapter, st.entitlements, now, config) : null;
      const allowed = decision?.allowed === true;
      if (!allowed) {
        // Drip release: the learner has the course and this chapter opens later; say when.
        if (decision && !decision.allowed && decision.unlocksAt) c.unlocksAt = decision.unlocksAt.toISOString();
        for (const field of GATED_MEDIA_FIELDS) {
          const v = c[field];
          for (const file of Array.isArray(v) ? v : [v]) if (file && typeof file === 'object') handled.add(file);
        }
        for (const field of GATED_CHAPTER_FIELDS) delete c[field];
        c.locked = true;
        continue;
      }
      c.locked = false;
      for (const field of GATED_MEDIA_FIELDS) {
        const v = c[field];
        if (Array.isArray(v)) for (const file of v) rewriteFile(file, userId, now, handled);
        else rewriteFile(v, userId, now, handled);
      }
    }
  }

  /**
   * Files met outside a chapter's gated fields (a cover, an avatar, the upload plugin's own
   * routes, a file populated through another relation): one that is also chapter media — or is
   * kept in private storage — loses its storage details, and its url becomes the bare media
   * route path, which answers only to callers with access. One statement, only when there are
   * such files.
   */
  async function hideGatedFiles(files: Array<Record<string, unknown>>, handled: Set<object>): Promise<void> {
    const rest = files.filter((f) => !handled.has(f));
    if (rest.length === 0) return;
    const ids = rest.map((f) => f.id).filter((id): id is number => typeof id === 'number' && Number.isInteger(id));
    const gated = await gatedMediaFileIds(strapi, ids);
    for (const f of rest) {
      const id = f.id;
      const isGated =
        (typeof id === 'number' && gated.has(id)) ||
        links.parseRoutePath(f.url) !== null ||
        Object.values((f.formats as Record<string, { url?: unknown }> | null | undefined) ?? {}).some((x) => links.parseRoutePath(x?.url) !== null);
      if (isGated) hideStorage(f, typeof id === 'number' ? (format) => links.routePath(id, format) : null);
    }
  }

  /** Gates everything under `data` in place, and marks its top-level entries as gated. */
  async function gateTree(uid: string | undefined, data: unknown): Promise<void> {
    const found = uid ? collectEntitiesByType(uid, data, getModel, WANTED) : null;
    const chapters = found?.get(CHAPTER_UID) ?? [];
    const files = found?.get(FILE_UID) ?? [];
    const handled = new Set<object>();
    if (chapters.length > 0) {
      const st = requestState();
      const now = paywallNow(strapi);
      await prepare(st, chapters, now);
      apply(st, chapters, now, handled);
    }
    if (files.length > 0) await hideGatedFiles(files, handled);
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
      throw httpError(400, message, { key: hit.path, path: hit.path, source: 'query' });
    },
  };
}

export type Gate = ReturnType<typeof createGate>;
