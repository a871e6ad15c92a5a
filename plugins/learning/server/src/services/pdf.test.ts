import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCjkFontPaths } from './pdf';

describe('resolveCjkFontPaths', () => {
  test('the npm package by default', () => {
    const paths = resolveCjkFontPaths({ cjkFontPath: '', cjkBoldFontPath: '' });
    assert.ok(paths, '@embedpdf/fonts-sc is installed');
    assert.match(paths.regular, /NotoSansHans-Regular\.otf$/);
    assert.match(paths.bold, /NotoSansHans-Bold\.otf$/);
  });
  test('a configured file that does not exist: null (the route then answers 503 with the fix)', () => {
    assert.equal(resolveCjkFontPaths({ cjkFontPath: '/nonexistent/font.ttf', cjkBoldFontPath: '' }), null);
  });
  test('a configured regular font serves as bold too', () => {
    const pkg = resolveCjkFontPaths({ cjkFontPath: '', cjkBoldFontPath: '' })!;
    assert.deepEqual(resolveCjkFontPaths({ cjkFontPath: pkg.regular, cjkBoldFontPath: '' }), { regular: pkg.regular, bold: pkg.regular });
  });
});
