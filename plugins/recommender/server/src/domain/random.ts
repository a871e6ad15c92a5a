/** The kernel's seeded random helpers (every "random" choice of the engine is seeded). */
export { fnv1a, mulberry32, shuffled } from '@kp/platform';
