/**
 * Posted text is plain text: stored as the learner typed it (normalised), never interpreted as
 * HTML or markdown by the server, and rendered by frontends as text. What is pure about it lives
 * here: normalisation, the fingerprint that refuses duplicates, and the link finder the
 * storefront's renderer mirrors.
 */
import { createHash } from 'node:crypto';

// Control characters other than tab and newline (NUL, escape sequences, bidi overrides that
// make text read backwards).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

/** Trimmed, CRLF → LF, control characters removed, at most two consecutive blank lines. */
export function normalizeText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
}

/**
 * The duplicate key of a text: case, spacing and punctuation do not make a text new. SHA-256 of
 * the folded text, hex.
 */
export function textFingerprint(text: string): string {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
  return createHash('sha256').update(folded).digest('hex');
}

/** Splits text into plain runs and http(s) links, for renderers that draw links as `rel="nofollow ugc"`. */
export function splitLinks(text: string): Array<{ text: string; href?: string }> {
  const out: Array<{ text: string; href?: string }> = [];
  const re = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ text: m[0], href: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
