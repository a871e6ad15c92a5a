import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { httpError } from '@kp/platform';
import type { CertificateFacts } from '../domain/certificate';
import { certificateText, labelsNeedCjk, needsCjkFont } from '../domain/pdf-text';
import { pluginConfig } from '../utils';

/** The npm package that ships the default CJK font (Noto Sans SC, OFL), a dependency of the app. */
export const CJK_FONT_PACKAGE = '@embedpdf/fonts-sc';
const REGULAR = 'NotoSansHans-Regular.otf';
const BOLD = 'NotoSansHans-Bold.otf';

interface CjkFonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

/** Where the CJK fonts are: the configured paths, else the npm package's files. Null when absent. */
export function resolveCjkFontPaths(config: { cjkFontPath: string; cjkBoldFontPath: string }): { regular: string; bold: string } | null {
  if (config.cjkFontPath) {
    const regular = path.resolve(config.cjkFontPath);
    const bold = config.cjkBoldFontPath ? path.resolve(config.cjkBoldFontPath) : regular;
    return fs.existsSync(regular) && fs.existsSync(bold) ? { regular, bold } : null;
  }
  try {
    const dir = path.join(path.dirname(require.resolve(CJK_FONT_PACKAGE)), '..', 'fonts');
    const regular = path.join(dir, REGULAR);
    const bold = path.join(dir, BOLD);
    return fs.existsSync(regular) ? { regular, bold: fs.existsSync(bold) ? bold : regular } : null;
  } catch {
    return null;
  }
}

// A4 landscape, in points.
const W = 841.89;
const H = 595.28;
const NAVY = '#1f3a5f';
const GOLD = '#b08d57';
const GREY = '#5b6472';

/**
 * Renders a certificate as a one-page PDF with pdfkit. Latin text uses the PDF standard fonts
 * (nothing to embed); any other script, and every Chinese label, uses the embedded CJK font,
 * subset by pdfkit to the glyphs used (a zh-Hans certificate weighs ~50 KB, not the font's 8 MB).
 */
/** Rendered PDFs kept per process (~100 KB each for zh-Hans): a shared certificate link costs one render. */
const CACHE_SIZE = 64;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let fonts: CjkFonts | null = null;
  // Keyed by code and locale: the printed facts of a certificate never change (editors may only
  // revoke, and a revoked certificate is not rendered); config changes need a restart anyway.
  const cache = new Map<string, Buffer>();

  function cjkFonts(): CjkFonts {
    if (fonts) return fonts;
    const paths = resolveCjkFontPaths({ cjkFontPath: pluginConfig(strapi, 'cjkFontPath'), cjkBoldFontPath: pluginConfig(strapi, 'cjkBoldFontPath') });
    if (!paths) {
      throw httpError(
        503,
        `This certificate needs a font with Chinese glyphs and none was found: run \`npm install\` (it installs ${CJK_FONT_PACKAGE}) or set LEARNING_CJK_FONT to a TTF/OTF file (e.g. from the Debian package fonts-noto-cjk).`
      );
    }
    // Parsed once per process and handed to pdfkit as font objects: parsing the 8 MB font for
    // every PDF made a zh-Hans certificate cost ~350 ms of CPU instead of ~50 ms.
    const regular = fontkit.create(fs.readFileSync(paths.regular));
    fonts = { regular, bold: paths.bold === paths.regular ? regular : fontkit.create(fs.readFileSync(paths.bold)) };
    return fonts;
  }

  return {
    /** Whether a certificate in this locale can be rendered (the CJK font is present when needed). */
    available(locale: string): boolean {
      if (!labelsNeedCjk(locale)) return true;
      try {
        cjkFonts();
        return true;
      } catch {
        return false;
      }
    },

    /** The PDF of one certificate, with labels in `locale` (cached: see CACHE_SIZE). */
    async render(facts: CertificateFacts, locale: string): Promise<Buffer> {
      const key = `${facts.code}:${locale}`;
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key); // most recently used last
        cache.set(key, hit);
        return hit;
      }
      const pdf = await this.draw(facts, locale);
      cache.set(key, pdf);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return pdf;
    },

    /** Lays the certificate out (uncached). */
    async draw(facts: CertificateFacts, locale: string): Promise<Buffer> {
      const publicUrl = pluginConfig(strapi, 'publicUrl') || String(strapi.config.get('server.url', '') ?? '');
      const text = certificateText(facts, locale, pluginConfig(strapi, 'platformName'), publicUrl);
      const cjkLabels = labelsNeedCjk(locale);
      const dynamic = [text.learnerName, text.courseTitle, text.instructorName ?? '', text.platform];
      const cjk = cjkLabels || dynamic.some(needsCjkFont) ? cjkFonts() : null;

      const doc = new PDFDocument({
        size: 'A4',
        layout: 'landscape',
        margin: 0,
        info: {
          Title: `${text.labels.heading}: ${text.courseTitle}`,
          Author: text.platform,
          Subject: `${text.learnerName} — ${text.courseTitle}`,
          Keywords: text.code,
          CreationDate: facts.issuedAt,
        },
      });
      const chunks: Buffer[] = [];
      const done = new Promise<Buffer>((resolve, reject) => {
        doc.on('data', (chunk: Buffer) => chunks.push(chunk));
        doc.on('end', () => resolve(Buffer.concat(chunks)));
        doc.on('error', reject);
      });
      if (cjk) {
        // pdfkit takes a parsed fontkit font as well as bytes (its typings only list the latter).
        doc.registerFont('cjk', cjk.regular as unknown as Buffer);
        doc.registerFont('cjk-bold', cjk.bold as unknown as Buffer);
      }
      /** The font for one piece of text: labels follow the locale, values their own script. */
      const font = (value: string, bold: boolean, label = false) => {
        if (cjk && ((label && cjkLabels) || needsCjkFont(value))) return bold ? 'cjk-bold' : 'cjk';
        return bold ? 'Helvetica-Bold' : 'Helvetica';
      };
      const centered = (value: string, y: number, size: number, opts: { bold?: boolean; label?: boolean; color?: string; height?: number; spacing?: number } = {}) => {
        doc
          .font(font(value, opts.bold ?? false, opts.label ?? false))
          .fontSize(size)
          .fillColor(opts.color ?? NAVY)
          .text(value, 70, y, { width: W - 140, align: 'center', height: opts.height ?? size * 1.4, ellipsis: true, characterSpacing: opts.spacing ?? 0 });
      };

      // Frame: a navy border and a thin gold one inside it.
      doc.lineWidth(3).strokeColor(NAVY).rect(24, 24, W - 48, H - 48).stroke();
      doc.lineWidth(0.8).strokeColor(GOLD).rect(34, 34, W - 68, H - 68).stroke();

      centered(cjkLabels ? text.platform : text.platform.toUpperCase(), 66, 12, { color: GREY, spacing: 2 });
      centered(text.labels.heading, 100, cjkLabels ? 42 : 38, { bold: true, label: true });
      doc.lineWidth(1.2).strokeColor(GOLD).moveTo(W / 2 - 70, 165).lineTo(W / 2 + 70, 165).stroke();
      centered(text.labels.certifies, 190, 14, { label: true, color: GREY });
      centered(text.learnerName, 216, 30, { bold: true, height: 44 });
      centered(text.labels.completed, 276, 14, { label: true, color: GREY });
      centered(text.courseTitle, 302, 22, { bold: true, height: 62 });

      // Three columns: instructor, completion date, verification code.
      const columns: Array<[string, string]> = [
        [text.labels.instructor, text.instructorName ?? '—'],
        [text.labels.completedOn, text.completedOn],
        [text.labels.verification, text.code],
      ];
      const colWidth = 220;
      const gap = (W - 3 * colWidth) / 4;
      columns.forEach(([label, value], i) => {
        const x = gap + i * (colWidth + gap);
        doc.lineWidth(0.6).strokeColor(GOLD).moveTo(x + 30, 420).lineTo(x + colWidth - 30, 420).stroke();
        doc.font(font(label, false, true)).fontSize(10).fillColor(GREY).text(label, x, 430, { width: colWidth, align: 'center', height: 14, ellipsis: true });
        // The code in a monospace face, so that l, I and 1 can be told apart when typed in.
        const valueFont = i === 2 ? 'Courier-Bold' : font(value, true);
        doc.font(valueFont).fontSize(i === 2 ? 11 : 13).fillColor(NAVY).text(value, x, 448, { width: colWidth, align: 'center', height: 34, ellipsis: true });
      });

      if (text.verifyUrl) centered(`${text.labels.verifyAt}: ${text.verifyUrl}`, 520, 9, { label: true, color: GREY });

      doc.end();
      return done;
    },
  };
};
