/** Query parameters through which the Document Service returns drafts or tells them apart. */
export const DRAFT_PARAMS = ['status', 'publicationFilter', 'hasPublishedVersion'] as const;

/**
 * The draft-related parameters of a parsed query that ask for anything but the published
 * version: `status` other than the exact string `published` (an array, an object, `Published`…),
 * and `publicationFilter` / `hasPublishedVersion` whatever their value.
 */
export function draftParamsAsked(query: Record<string, unknown> | undefined | null): string[] {
  if (!query) return [];
  return DRAFT_PARAMS.filter((key) => query[key] !== undefined && !(key === 'status' && query[key] === 'published'));
}
