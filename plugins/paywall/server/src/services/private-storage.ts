/**
 * Private storage for gated media with the local upload provider.
 *
 * The static server serves whatever lies under `public/`, decoding and normalising each path its
 * own way; a guard in front of it that reasons about path spellings loses to the first spelling it
 * does not foresee. So a chapter's video or attachment (any locale, draft or published) is not
 * kept there at all: its bytes (and its image formats') live in a directory outside `public/`
 * (`privateUploadsDir`), and its row's `url` (and each format's) is the media route's path,
 * `/api/paywall/media/<id>[?format=<name>]`, which names no storage location. Only the media route
 * reads that directory, after the access check.
 *
 * How a file gets there — every way a file becomes chapter media — by lifecycles on the two
 * models that hold the link (registered in bootstrap):
 * - a chapter row created or updated (the Document Service's create, update, publish,
 *   discardDraft, clone, a new locale — so the Content Manager and the review plugin's instructor
 *   route — and Query Engine writes): the files the row then uses move, inside the write's
 *   transaction when it has one (every Document Service action has);
 * - a file row created or updated with a link to a chapter's video/attachments already in place
 *   (the upload plugin's `ref`/`refId`/`field`, a replacement of a private file's bytes that
 *   produced a new public image format): it moves before the upload call returns;
 * - files left in `public/uploads` by an earlier version, or linked by raw SQL, move at boot
 *   (`secureAll`).
 * The provider's `replace` writes a private file's new bytes straight to private storage, and its
 * `delete` removes private copies too, so the upload plugin's replace and delete keep working.
 * A file that stops being chapter media stays private.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { rawConnection, transactionHooks } from '@kp/platform';
import { GATED_MEDIA_FIELDS, gatedMediaFileIds } from './queries';
import { CHAPTER_UID, FILE_UID, schemaNames } from './schema-names';
import { getService } from '../utils';
import { paywallConfig } from '../config';

/** One stored variant of a file: the original, or one of its image formats. */
export interface StoredVariant {
  hash?: unknown;
  ext?: unknown;
  url?: unknown;
  [key: string]: unknown;
}

export interface StoredFile extends StoredVariant {
  id: number;
  provider?: unknown;
  formats?: Record<string, StoredVariant> | null;
}

/** What a file row's storage columns become once it is private. */
export interface PrivatePatch {
  url: string;
  formats: Record<string, StoredVariant> | null;
}

interface ProviderVariant extends StoredVariant {
  stream?: Readable;
  buffer?: Buffer;
}
type ProviderFn = (file: ProviderVariant, ...rest: unknown[]) => Promise<unknown>;
interface UploadProvider {
  delete?: ProviderFn;
  replace?: (newFile: ProviderVariant, oldFile: ProviderVariant, ...rest: unknown[]) => Promise<unknown>;
  replaceStream?: (newFile: ProviderVariant, oldFile: ProviderVariant, ...rest: unknown[]) => Promise<unknown>;
}

const WRAPPED = Symbol('paywall.private-storage');
const MAX_IDS = 500;

/** `<hash><ext>`, the name the local provider stores a variant under, when it is a plain file name. */
export function storedName(v: { hash?: unknown; ext?: unknown }): string | null {
  if (typeof v.hash !== 'string' || v.hash === '') return null;
  const name = `${v.hash}${typeof v.ext === 'string' ? v.ext : ''}`;
  if (name === '.' || name === '..' || name.includes('\0') || path.basename(name) !== name || name.includes('\\')) return null;
  return name;
}

/** Whether `inner` is `outer` or lies under it. */
function within(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  // Resolve symlinks of the deepest existing ancestor, so that a link into public/ is seen as such.
  let cur = p;
  const rest: string[] = [];
  while (!fs.existsSync(cur)) {
    const parent = path.dirname(cur);
    if (parent === cur) return p;
    rest.unshift(path.basename(cur));
    cur = parent;
  }
  return path.join(fs.realpathSync(cur), ...rest);
}

/** Moves a file, across file systems too. Synchronous: it also runs in transaction callbacks. */
function moveSync(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.copyFileSync(from, to);
    fs.unlinkSync(from);
  }
}

/** Puts the new storage columns on every copy of a moved file in a write's result (the caller sees them). */
function patchResult(value: unknown, patches: Map<number, PrivatePatch>, seen = new Set<object>()): void {
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) patchResult(v, patches, seen);
    return;
  }
  const o = value as Record<string, unknown>;
  const patch = typeof o.id === 'number' && 'url' in o && 'hash' in o ? patches.get(o.id) : undefined;
  if (patch) Object.assign(o, patch);
  for (const v of Object.values(o)) if (v && typeof v === 'object') patchResult(v, patches, seen);
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const links = () => getService(strapi, 'media-links');
  let dirReady = false;

  function privateDir(): string {
    const configured = paywallConfig(strapi, 'privateUploadsDir');
    return path.resolve(strapi.dirs.app.root, configured);
  }
  const publicUploads = () => path.resolve(strapi.dirs.static.public, 'uploads');

  function ensureDir(): string {
    const dir = privateDir();
    if (!dirReady) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      dirReady = true;
    }
    return dir;
  }

  const isPrivateVariant = (v: { url?: unknown } | null | undefined): boolean => Boolean(v && links().parseRoutePath(v.url));

  /** Whether a local file row still has a variant outside private storage. */
  function needsSecuring(file: StoredFile | null | undefined): file is StoredFile {
    if (!file || typeof file.id !== 'number' || file.provider !== 'local') return false;
    if (!isPrivateVariant(file)) return true;
    return Object.values(file.formats ?? {}).some((f) => f && !isPrivateVariant(f));
  }

  function privatePathOf(v: StoredVariant): string | null {
    const name = storedName(v);
    return name ? path.join(privateDir(), name) : null;
  }

  /** Moves one variant's bytes from public/uploads to private storage (undone if the write rolls back). */
  function moveVariant(v: StoredVariant): void {
    const name = storedName(v);
    if (!name) throw new Error(`paywall: cannot move a file with an unusable stored name (${String(v.hash)}${String(v.ext)})`);
    const from = path.join(publicUploads(), name);
    const to = path.join(ensureDir(), name);
    if (!fs.existsSync(from)) {
      // Nothing public to protect; the bytes may already be private (a retried write).
      if (!fs.existsSync(to)) strapi.log.warn(`paywall: gated file ${name} is in neither public/uploads nor private storage`);
      return;
    }
    moveSync(from, to);
    // The row's new url commits with the write: if the write rolls back, the file goes back too.
    transactionHooks()?.onRollback(() => {
      try {
        if (fs.existsSync(to) && !fs.existsSync(from)) moveSync(to, from);
      } catch (err) {
        strapi.log.error(`paywall: could not put ${name} back after a rolled-back write: ${(err as Error).message}`);
      }
    });
  }

  /** Moves every public variant of a local file row to private storage and points its urls at the route. */
  async function secure(file: StoredFile): Promise<PrivatePatch> {
    const l = links();
    if (!isPrivateVariant(file)) moveVariant(file);
    let formats: Record<string, StoredVariant> | null = null;
    if (file.formats && typeof file.formats === 'object') {
      formats = {};
      for (const [key, f] of Object.entries(file.formats)) {
        if (!f || typeof f !== 'object') continue;
        if (!isPrivateVariant(f)) moveVariant(f);
        formats[key] = { ...f, url: l.routePath(file.id, key) };
      }
    }
    const patch: PrivatePatch = { url: l.routePath(file.id, null), formats };
    await strapi.db.query(FILE_UID).update({ where: { id: file.id }, data: patch as never });
    return patch;
  }

  async function secureRows(ids: number[]): Promise<Map<number, PrivatePatch>> {
    const out = new Map<number, PrivatePatch>();
    for (let i = 0; i < ids.length; i += MAX_IDS) {
      const rows = (await strapi.db.query(FILE_UID).findMany({
        where: { id: { $in: ids.slice(i, i + MAX_IDS) } },
        select: ['id', 'hash', 'ext', 'url', 'formats', 'provider'],
      })) as StoredFile[];
      for (const row of rows) if (needsSecuring(row)) out.set(row.id, await secure(row));
    }
    return out;
  }

  /**
   * Local files used as video/attachments by these chapter rows, or — for the upgrade sweep — by
   * any chapter row.
   */
  async function chapterMediaFileIds(rowIds: number[] | 'all'): Promise<number[]> {
    const n = schemaNames(strapi);
    const r = n.file.related;
    const q = rawConnection(strapi)
      .distinct({ id: `r.${r.file}` })
      .from({ r: r.table })
      .join({ f: n.file.table }, 'f.id', `r.${r.file}`)
      .where(`r.${r.type}`, CHAPTER_UID)
      .whereIn(`r.${r.field}`, [...GATED_MEDIA_FIELDS])
      .where(`f.${n.file.col('provider')}`, 'local');
    if (rowIds === 'all') {
      // Upgrades left the file itself public; a format made public later is a write the file
      // lifecycle catches.
      q.whereNot(`f.${n.file.col('url')}`, 'like', `${links().routePrefix()}%`);
    } else {
      if (rowIds.length === 0) return [];
      q.whereIn(`r.${r.id}`, rowIds);
    }
    const rows: Array<Record<string, unknown>> = await q;
    return rows.map((row) => Number(row.id)).filter((id) => Number.isInteger(id) && id > 0);
  }

  return {
    privateDir,

    /** Refuses a private directory that the static server would serve. */
    assertOutsidePublic(): void {
      const dir = realOrSelf(privateDir());
      const pub = realOrSelf(strapi.dirs.static.public);
      if (within(pub, dir)) {
        throw new Error(
          `paywall: PAYWALL_PRIVATE_UPLOADS_DIR (${privateDir()}) lies inside the public directory (${strapi.dirs.static.public}), which the static server serves: choose a directory outside it.`
        );
      }
    },

    isPrivateVariant,

    /**
     * The bytes behind a variant on local storage: its private copy, or — for a file not moved
     * yet — its file under public/uploads. Null when it has none.
     */
    localPath(v: { hash?: unknown; ext?: unknown; url?: unknown; provider?: unknown }): string | null {
      if (v.provider !== 'local') return null;
      if (isPrivateVariant(v)) {
        const p = privatePathOf(v);
        return p && fs.existsSync(p) ? p : null;
      }
      const name = storedName(v);
      if (!name || typeof v.url !== 'string' || v.url !== `/uploads/${name}`) return null;
      const p = path.join(publicUploads(), name);
      return fs.existsSync(p) ? p : null;
    },

    /**
     * After a chapter row is written (inside the write's transaction when it has one — every
     * Document Service action does): every local file it uses as video or attachments leaves
     * public storage, and `row` (the write's result, which callers such as the Content Manager
     * answer with) is patched in place.
     */
    async secureChapterRow(row: { id?: unknown } | null | undefined): Promise<void> {
      if (!row || typeof row.id !== 'number') return;
      const patches = await secureRows(await chapterMediaFileIds([row.id]));
      if (patches.size > 0) patchResult(row, patches);
    },

    /**
     * After a file row is created or updated: when it is chapter media and a variant is still
     * public, it moves, and `row` is patched in place so that the caller sees the new urls.
     */
    async secureFileRow(row: StoredFile | null | undefined): Promise<void> {
      if (!needsSecuring(row)) return;
      if (!(await gatedMediaFileIds(strapi, [row.id])).has(row.id)) return;
      Object.assign(row, await secure(row));
    },

    /** The upgrade step, idempotent: every chapter media file still under public/uploads moves. */
    async secureAll(): Promise<number> {
      return (await secureRows(await chapterMediaFileIds('all'))).size;
    },

    /**
     * Teaches the local provider about private storage: `delete` removes private copies too, and
     * `replace` writes a private file's new bytes to private storage (never to public/uploads).
     */
    wrapProvider(): void {
      const provider = strapi.plugin('upload').provider as (UploadProvider & { [WRAPPED]?: true }) | undefined;
      if (!provider || provider[WRAPPED]) return;
      const { delete: del, replace, replaceStream } = provider;

      const removePrivate = (v: StoredVariant) => {
        const p = privatePathOf(v);
        if (p && fs.existsSync(p)) fs.rmSync(p, { force: true });
      };
      const writePrivate = async (newFile: ProviderVariant, oldFile: ProviderVariant) => {
        const name = storedName(newFile);
        if (!name) throw new Error('paywall: the replacement has an unusable stored name');
        const to = path.join(ensureDir(), name);
        if (newFile.stream) await pipeline(newFile.stream, fs.createWriteStream(to));
        else if (newFile.buffer) await fs.promises.writeFile(to, newFile.buffer);
        else throw new Error('Missing file stream');
        const old = privatePathOf(oldFile);
        if (old && old !== to) fs.rmSync(old, { force: true });
        newFile.url = oldFile.url; // the same file id and format: the same route path
      };

      if (del) {
        provider.delete = async (file, ...rest) => {
          removePrivate(file);
          return del.call(provider, file, ...rest);
        };
      }
      if (replace) {
        provider.replace = async (newFile, oldFile, ...rest) =>
          isPrivateVariant(oldFile) ? writePrivate(newFile, oldFile) : replace.call(provider, newFile, oldFile, ...rest);
      }
      if (replaceStream) {
        provider.replaceStream = async (newFile, oldFile, ...rest) =>
          isPrivateVariant(oldFile) ? writePrivate(newFile, oldFile) : replaceStream.call(provider, newFile, oldFile, ...rest);
      }
      provider[WRAPPED] = true;
    },
  };
};

