/**
 * Text to terms: English words through natural's word tokenizer and Porter stemmer, Chinese,
 * Japanese and Korean runs as overlapping character bigrams (these scripts do not separate words
 * with spaces, and bigrams are the usual dictionary-free unit for them).
 */
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords';

export interface Token {
  /** The indexed form: a Porter stem, or a CJK bigram. */
  term: string;
  /** The lower-cased word as written, for showing a reason to a person. */
  surface: string;
}

const tokenizer = new WordTokenizer();
const STOPWORDS = new Set(naturalStopwords);
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

// Porter stemming dominates the cost of indexing a catalogue, and a catalogue's vocabulary is
// small: stems are memoised, up to a bound so that odd input cannot grow the process.
const STEM_CACHE_LIMIT = 100_000;
const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

// The word tokenizer splits on every symbol, which would turn "C++", "C#" and ".NET" (frequent in
// a course catalogue) into noise; they are rewritten to words first.
const SYMBOL_WORDS: Array<[RegExp, string]> = [
  [/(^|[^a-z0-9])c\+\+/g, '$1 cplusplus '],
  [/(^|[^a-z0-9])c#/g, '$1 csharp '],
  [/(^|[^a-z0-9])f#/g, '$1 fsharp '],
  [/(^|[^a-z0-9])\.net\b/g, '$1 dotnet '],
];

const SYMBOL_SURFACE: Record<string, string> = { cplusplus: 'c++', csharp: 'c#', fsharp: 'f#', dotnet: '.net' };

/** Overlapping character bigrams of a run; a one-character run is kept as itself. */
export function cjkBigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** Tokens of a free text (title, summary) in any of the platform's languages. */
export function tokenize(text: string): Token[] {
  if (!text) return [];
  const tokens: Token[] = [];
  let rest = text.toLowerCase();
  if (!ASCII_ONLY.test(rest)) {
    // NFKC folds full-width Latin letters and digits (common in Chinese text) to ASCII.
    rest = rest.normalize('NFKC').replace(CJK_RUN, (run) => {
      for (const bigram of cjkBigrams(run)) tokens.push({ term: bigram, surface: bigram });
      return ' ';
    });
    // Accents off after the CJK runs are out: NFKD would split Hangul syllables into jamo.
    rest = rest.normalize('NFKD').replace(COMBINING_MARKS, '');
  }
  if (rest.includes('+') || rest.includes('#') || rest.includes('.net')) {
    for (const [pattern, replacement] of SYMBOL_WORDS) rest = rest.replace(pattern, replacement);
  }
  for (const word of tokenizer.tokenize(rest)) {
    if (word.length < 2 || STOPWORDS.has(word) || word.includes('_')) continue;
    tokens.push({ term: stem(word), surface: SYMBOL_SURFACE[word] ?? word });
  }
  return tokens;
}

/** A tag, category or level value as a feature key: trimmed, lower-cased, inner spaces folded. */
export function normaliseKey(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}
