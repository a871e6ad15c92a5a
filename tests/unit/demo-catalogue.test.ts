/**
 * The demo catalogue's Chinese texts are Chinese: a zh-Hans page never shows an English bio or
 * summary under a Chinese label (what the storefront showed for instructors' bios).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDemoCatalogue } from '../../scripts/lib/demo-catalogue';

const HAN = /\p{Script=Han}/u;
const ENGLISH_WORDS = /\b[a-z]{4,}\b/g;

test('every zh-Hans text of the demo catalogue is written in Chinese', () => {
  const demo = buildDemoCatalogue();
  const texts: Array<[string, string | undefined, string]> = [
    ...demo.instructors.map((i) => [`bio of ${i.slug}`, i.bio.zh, i.bio.en] as [string, string | undefined, string]),
    ...demo.courses.filter((c) => c.translated).flatMap((c) => [
      [`title of ${c.slug}`, c.title.zh, c.title.en] as [string, string | undefined, string],
      [`summary of ${c.slug}`, c.summary.zh, c.summary.en] as [string, string | undefined, string],
    ]),
  ];
  const problems: string[] = [];
  for (const [what, zh, en] of texts) {
    if (!zh) continue;
    if (!HAN.test(zh)) problems.push(`${what}: no Chinese (${zh})`);
    if (zh.includes(en)) problems.push(`${what}: the English text inside (${zh})`);
    const words = (zh.match(ENGLISH_WORDS) ?? []).filter((w) => en.toLowerCase().includes(w));
    if (words.length > 2) problems.push(`${what}: English words ${words.join(' ')}`);
  }
  assert.deepEqual(problems, []);
  assert.ok(demo.instructors.every((i) => i.bio.zh), 'every instructor has a Chinese bio');
});
