/**
 * Rewrites, in a JSON value, every `url` / `previewUrl` string that is a bare media-route path
 * (what a privately stored file's row holds) into a link made by `sign`. Pure: parsing and
 * signing are parameters. Used on admin-panel responses, so that the media library and the
 * Content Manager can show gated files to editors.
 */

export type ParseRoutePath = (url: unknown) => { fileId: number; format: string | null } | null;
export type SignRoutePath = (fileId: number, format: string | null) => string;

const URL_KEYS = ['url', 'previewUrl'] as const;

/** Rewrites in place; answers how many urls were rewritten. Each object is visited once. */
export function signRoutePaths(value: unknown, parse: ParseRoutePath, sign: SignRoutePath, seen: Set<object> = new Set()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += signRoutePaths(v, parse, sign, seen);
    return n;
  }
  const o = value as Record<string, unknown>;
  for (const key of URL_KEYS) {
    const target = parse(o[key]);
    if (target) {
      o[key] = sign(target.fileId, target.format);
      n += 1;
    }
  }
  for (const v of Object.values(o)) if (v !== null && typeof v === 'object') n += signRoutePaths(v, parse, sign, seen);
  return n;
}
