/**
 * What one instance tells every instance (itself included) so that state kept per process stays
 * coherent: the channels of `broadcast` / `onBroadcast` in the kernel and the payload of each.
 * A payload is small JSON (ids, never documents: PostgreSQL NOTIFY takes under 8000 bytes): a
 * receiver re-reads what it needs.
 */
export interface PlatformBroadcasts {
  /** Something an instance keeps in memory changed; receivers drop or refresh what they hold. */
  'platform.ping': { from: string; at: number };
  /**
   * Published catalogue content changed (a catalogue type, a file, a rating, public permissions,
   * locales): every instance drops its whole anonymous catalogue cache (plugins/cache).
   */
  'cache.catalogue': { from: string; reason: string };
  /**
   * Users, roles, permissions or users-permissions settings changed: every instance drops the
   * cached principals of `userIds`, or all of them with `all` (plugins/cache).
   */
  'cache.principals': { from: string; userIds: number[]; all: boolean; reason: string };
  /**
   * Delivered to this instance only, by the kernel, when its transport got its connection back:
   * messages from other instances may have been missed meanwhile, so every holder of state
   * re-reads it (the recommender rebuilds its index).
   */
  'platform.resync': { transport: string; reason: string };
  /**
   * Courses were written (published, unpublished, edited, deleted) by some instance: every
   * recommender re-reads these courses' published versions into its index.
   */
  'recommender.courses': { documentIds: string[] };
}

export type PlatformBroadcastChannel = keyof PlatformBroadcasts;
