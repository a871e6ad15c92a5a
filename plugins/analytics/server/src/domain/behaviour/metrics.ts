/**
 * Ranking metrics of a binary score: AUC and precision in the top fraction. Both handle ties
 * (a tree gives few distinct scores) and never spread arrays into Math.max/min.
 */

/** Indices sorted by score, descending. */
function orderDesc(scores: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => (scores[b] as number) - (scores[a] as number));
}

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores for ${labels.length} labels`);
  for (let i = 0; i < scores.length; i++) if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
}

/**
 * Area under the ROC curve by the rank statistic (Mann–Whitney U): the probability that a random
 * positive scores above a random negative, ties counted as one half. Null when one class is absent.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  check(scores, labels);
  const n = scores.length;
  const idx = orderDesc(scores);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  // Walk from the top: each negative is beaten by the positives above it, tied with those in its group.
  let posAbove = 0;
  let wins = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    let pos = 0;
    let neg = 0;
    const s = scores[idx[i] as number];
    while (j < n && scores[idx[j] as number] === s) {
      if (labels[idx[j] as number]) pos++;
      else neg++;
      j++;
    }
    wins += neg * (posAbove + pos / 2);
    posAbove += pos;
    i = j;
  }
  return wins / (positives * negatives);
}

/**
 * Share of positives among the top ⌈fraction × n⌉ by score. Ties at the boundary are broken at
 * random in expectation: the tied group contributes its positive rate times the places left.
 */
export function precisionAtFraction(scores: ArrayLike<number>, labels: ArrayLike<number>, fraction = 0.1): number | null {
  check(scores, labels);
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError('fraction must be in (0, 1]');
  const n = scores.length;
  if (n === 0) return null;
  const k = Math.ceil(fraction * n);
  const idx = orderDesc(scores);
  const boundary = scores[idx[k - 1] as number] as number;
  let hits = 0;
  let above = 0;
  let tied = 0;
  let tiedPos = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[idx[i] as number] as number;
    const y = labels[idx[i] as number] ? 1 : 0;
    if (s > boundary) {
      above++;
      hits += y;
    } else if (s === boundary) {
      tied++;
      tiedPos += y;
    } else break;
  }
  hits += (tiedPos * (k - above)) / tied;
  return hits / k;
}
