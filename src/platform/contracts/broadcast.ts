/**
 * What one instance tells every instance (itself included) so that state kept per process stays
 * coherent: the channels of `broadcast` / `onBroadcast` in the kernel and the payload of each.
 * A payload is small JSON (ids, never documents): a receiver re-reads what it needs.
 */
export interface PlatformBroadcasts {
  /** Something an instance keeps in memory changed; receivers drop or refresh what they hold. */
  'platform.ping': { from: string; at: number };
}

export type PlatformBroadcastChannel = keyof PlatformBroadcasts;
