/**
 * A small markdown renderer for course descriptions and chapter bodies that builds DOM nodes
 * directly: text goes in through `textContent`, so HTML written in the markdown shows as text
 * and never runs. Links keep only http(s), mailto and same-site targets.
 *
 * Subset: headings, paragraphs, **bold**, *italic* or _italic_, `code`, fenced code blocks,
 * ordered/unordered lists (one level), > quotes, --- rules, [links](https://…), hard line breaks.
 */

import { h } from './dom.js';

/**
 * @param {string | null | undefined} source
 * @param {{ headingOffset?: number }} [options] headingOffset shifts `#` levels (a body under a page h1 starts at h2)
 * @returns {DocumentFragment}
 */
export function renderMarkdown(source, options = {}) {
  const offset = options.headingOffset ?? 1;
  const frag = document.createDocumentFragment();
  const lines = String(source ?? '').replace(/\r\n?/g, '\n').split('\n');
  let i = 0;

  /** @type {string[]} */
  let para = [];
  const flushPara = () => {
    if (para.length === 0) return;
    const p = h('p');
    para.forEach((line, n) => {
      if (n > 0) p.appendChild(/ {2,}$/.test(para[n - 1] ?? '') ? h('br') : document.createTextNode(' '));
      appendInline(p, line.trim());
    });
    frag.appendChild(p);
    para = [];
  };

  while (i < lines.length) {
    const line = /** @type {string} */ (lines[i]);

    const fence = line.match(/^\s*(```|~~~)\s*([\w+-]*)\s*$/);
    if (fence) {
      flushPara();
      const close = fence[1];
      /** @type {string[]} */
      const code = [];
      i++;
      while (i < lines.length && !(/** @type {string} */ (lines[i]).trim().startsWith(/** @type {string} */ (close)))) {
        code.push(/** @type {string} */ (lines[i]));
        i++;
      }
      i++; // closing fence (or end of text)
      const codeEl = h('code', fence[2] ? { class: `language-${fence[2]}` } : null, code.join('\n'));
      frag.appendChild(h('pre', { tabindex: '0' }, codeEl));
      continue;
    }

    if (/^\s*$/.test(line)) {
      flushPara();
      i++;
      continue;
    }

    const heading = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (heading) {
      flushPara();
      const level = Math.min(6, /** @type {string} */ (heading[1]).length + offset);
      const el = h(`h${level}`);
      appendInline(el, /** @type {string} */ (heading[2]));
      frag.appendChild(el);
      i++;
      continue;
    }

    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flushPara();
      frag.appendChild(h('hr'));
      i++;
      continue;
    }

    if (/^\s*>/.test(line)) {
      flushPara();
      /** @type {string[]} */
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(/** @type {string} */ (lines[i]))) {
        quoted.push(/** @type {string} */ (lines[i]).replace(/^\s*>\s?/, ''));
        i++;
      }
      const bq = h('blockquote');
      bq.appendChild(renderMarkdown(quoted.join('\n'), options));
      frag.appendChild(bq);
      continue;
    }

    const listMatch = line.match(/^\s*(?:([-*+])|(\d{1,9})[.)])\s+/);
    if (listMatch) {
      flushPara();
      const ordered = Boolean(listMatch[2]);
      const list = ordered ? h('ol') : h('ul');
      if (ordered && listMatch[2] !== '1') list.setAttribute('start', String(Number(listMatch[2])));
      const itemRe = ordered ? /^\s*\d{1,9}[.)]\s+(.*)$/ : /^\s*[-*+]\s+(.*)$/;
      while (i < lines.length) {
        const m = /** @type {string} */ (lines[i]).match(itemRe);
        if (!m) {
          // A lazily indented continuation line belongs to the item above.
          const cont = /** @type {string} */ (lines[i]);
          if (/^\s{2,}\S/.test(cont) && list.lastElementChild) {
            list.lastElementChild.appendChild(document.createTextNode(' '));
            appendInline(/** @type {HTMLElement} */ (list.lastElementChild), cont.trim());
            i++;
            continue;
          }
          break;
        }
        const li = h('li');
        appendInline(li, /** @type {string} */ (m[1]));
        list.appendChild(li);
        i++;
      }
      frag.appendChild(list);
      continue;
    }

    para.push(line);
    i++;
  }
  flushPara();
  return frag;
}

/**
 * Inline spans: code first (its content is literal), then links, bold, italic.
 * @param {HTMLElement} parent
 * @param {string} text
 */
function appendInline(parent, text) {
  const re = /(`+)([\s\S]*?[^`])\1(?!`)|\[([^\]]+)\]\(([^)\s]+)(?:\s+"([^"]*)")?\)|\*\*([^*]+?)\*\*|__([^_]+?)__|\*([^*\s][^*]*?)\*|(?<![\w])_([^_\s][^_]*?)_(?![\w])/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
    if (m[2] !== undefined) {
      parent.appendChild(h('code', null, m[2].trim()));
    } else if (m[3] !== undefined) {
      const href = safeHref(/** @type {string} */ (m[4]));
      if (href) {
        const external = /^(https?:)?\/\//i.test(href);
        const a = h('a', { href, title: m[5], rel: external ? 'noopener noreferrer nofollow' : undefined, target: external ? '_blank' : undefined });
        appendInline(a, m[3]);
        parent.appendChild(a);
      } else {
        appendInline(parent, m[3]); // unsafe target (javascript:, data:…): keep the words, drop the link
      }
    } else if (m[6] !== undefined || m[7] !== undefined) {
      const strong = h('strong');
      appendInline(strong, /** @type {string} */ (m[6] ?? m[7]));
      parent.appendChild(strong);
    } else if (m[8] !== undefined || m[9] !== undefined) {
      const em = h('em');
      appendInline(em, /** @type {string} */ (m[8] ?? m[9]));
      parent.appendChild(em);
    }
    last = re.lastIndex;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

/**
 * Only link targets that cannot run code: absolute http(s), mailto, and same-site paths/anchors.
 * @param {string} raw
 * @returns {string | null}
 */
export function safeHref(raw) {
  const href = raw.trim();
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"): refuse them.
  if (/[\u0000-\u001f\u007f\s]/.test(href)) return null;
  if (/^(https?:|mailto:)/i.test(href)) return href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return null;
  if (href.startsWith('//')) return null;
  if (/^[/#?.]/.test(href) || /^[\w-]/.test(href)) return href;
  return null;
}
