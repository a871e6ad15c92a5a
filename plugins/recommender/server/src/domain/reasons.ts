/**
 * Why a course is in a list. The engine has already computed the blend's three parts, the
 * learner's profile and the co-occurrence neighbours; this decides which of them to name, in
 * which order, and which terms and courses stand for them. Pure; `present.ts` turns a reason
 * into the API's words.
 */
import type { EngineConfig } from './config';
import type { LearnerSignals } from './signals';
import type { SparseVector } from './sparse';
import type { Stats } from './stats';
import { TERM_PREFIX, type Vocabulary } from './tfidf';

/** A term in more than this share of the catalogue is too common to be a reason. */
const COMMON_TERM_SHARE = 0.5;

/** Why a course is in a list. Term keys carry their prefix (t: tag, c: category, w: word). */
export type Reason =
  | { type: 'shared-terms'; terms: string[] }
  | { type: 'also-took'; itemId: string }
  | { type: 'popular' }
  | { type: 'segment'; segment: number; terms: string[] };

/** What the engine holds when it explains a list (read at that moment: stats and profile change). */
export interface ExplainContext {
  config: Pick<EngineConfig, 'blend' | 'reasonTerms'>;
  vocab: Vocabulary;
  vectors: readonly SparseVector[];
  /** Course id → internal index. */
  index: ReadonlyMap<string, number>;
  neighbours: Stats['neighbours'];
  /** The current learner's profile: weight per term id (not normalised). */
  profile: Float64Array;
}

/** The three normalised signals of one course for the current learner. */
export interface SignalParts {
  content: number;
  cooccurrence: number;
  popularity: number;
}

/** Reasons for course `i`, strongest signal first. */
export function explain(i: number, parts: SignalParts, signals: LearnerSignals, ctx: ExplainContext): Reason[] {
  const { blend } = ctx.config;
  const total = blend.content + blend.cooccurrence + blend.popularity;
  const found: Array<{ weight: number; reason: Reason }> = [];
  const contentPart = (blend.content / total) * parts.content;
  if (contentPart > 0) {
    // Terms in most of the catalogue ("learn", "course") explain nothing; they are named only
    // when the course shares nothing else.
    let terms = sharedTerms(i, true, ctx);
    if (terms.length === 0) terms = sharedTerms(i, false, ctx);
    if (terms.length) found.push({ weight: contentPart, reason: { type: 'shared-terms', terms } });
  }
  const coocPart = (blend.cooccurrence / total) * parts.cooccurrence;
  if (coocPart > 0) {
    const source = strongestNeighbourSource(i, signals, ctx);
    if (source !== undefined) found.push({ weight: coocPart, reason: { type: 'also-took', itemId: source } });
  }
  const popPart = (blend.popularity / total) * parts.popularity;
  const strongest = found.reduce((m, p) => Math.max(m, p.weight), 0);
  if (popPart > 0 && (popPart >= strongest || found.length === 0)) found.push({ weight: popPart, reason: { type: 'popular' } });
  found.sort((a, b) => b.weight - a.weight);
  return found.map((p) => p.reason);
}

/** The terms course `i` shares with the current profile, by their part of the cosine. */
function sharedTerms(i: number, skipCommon: boolean, ctx: ExplainContext): string[] {
  const v = ctx.vectors[i] as SparseVector;
  const contributions: Array<[string, number]> = [];
  const commonDf = COMMON_TERM_SHARE * ctx.vocab.docCount;
  for (let k = 0; k < v.idx.length; k++) {
    const id = v.idx[k] as number;
    const p = ctx.profile[id] ?? 0;
    if (p <= 0) continue;
    if (skipCommon && (ctx.vocab.df[id] ?? 0) > commonDf) continue;
    const term = ctx.vocab.terms[id] as string;
    if (term.startsWith(TERM_PREFIX.level)) continue; // "beginner" explains nothing
    contributions.push([term, p * (v.val[k] as number)]);
  }
  // Tags and categories first (what an editor chose to describe the course), then words.
  contributions.sort((a, b) => Number(isFacet(b[0])) - Number(isFacet(a[0])) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return contributions.slice(0, ctx.config.reasonTerms).map(([t]) => t);
}

/** The course of the learner's history that contributes most co-occurrence to course `i`. */
function strongestNeighbourSource(i: number, signals: LearnerSignals, ctx: ExplainContext): string | undefined {
  let best: string | undefined;
  let bestValue = 0;
  for (const [id, w] of signals.weights) {
    const h = ctx.index.get(id);
    if (h === undefined) continue;
    const nb = ctx.neighbours[h];
    if (!nb) continue;
    for (let k = 0; k < nb.idx.length; k++) {
      if (nb.idx[k] === i) {
        const value = w * (nb.sim[k] as number);
        if (value > bestValue) {
          bestValue = value;
          best = id;
        }
        break;
      }
    }
  }
  return best;
}

/**
 * The terms that name each segment (cold-start reasons): its tags and categories first (an
 * editor's words), then title words, by their summed weight over the segment's live courses.
 */
export function segmentTerms(
  segments: number,
  vectors: readonly SparseVector[],
  alive: Uint8Array,
  segmentOf: Int32Array,
  vocab: Vocabulary,
  reasonTerms: number,
): string[][] {
  const sums = Array.from({ length: segments }, () => new Map<number, number>());
  vectors.forEach((v, i) => {
    if (!alive[i]) return;
    const m = sums[segmentOf[i] as number];
    if (!m) return;
    for (let k = 0; k < v.idx.length; k++) {
      const id = v.idx[k] as number;
      m.set(id, (m.get(id) ?? 0) + (v.val[k] as number));
    }
  });
  return sums.map((m) =>
    [...m.entries()]
      .map(([id, w]) => [vocab.terms[id] as string, w] as const)
      .filter(([term]) => !term.startsWith(TERM_PREFIX.level))
      .sort((a, b) => Number(isFacet(b[0])) - Number(isFacet(a[0])) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, Math.max(reasonTerms, 1))
      .map(([term]) => term),
  );
}

/** A tag or category term (as opposed to a word of a title or summary). */
function isFacet(term: string): boolean {
  return term.startsWith(TERM_PREFIX.tag) || term.startsWith(TERM_PREFIX.category);
}
