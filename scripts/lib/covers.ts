/**
 * Cover images for the demo catalogue, made on this machine (no network): an SVG drawn from the
 * course's slug and category (a gradient in the category's hue, a few shapes placed by a PRNG
 * seeded with the slug), rendered to PNG by sharp. The same course always gets the same picture.
 */
import sharp from 'sharp';
import { prng } from './demo-catalogue';

export const COVER_WIDTH = 800;
export const COVER_HEIGHT = 450;

/** FNV-1a: a stable 32-bit hash of a string. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The SVG of a course's cover (pure). */
export function coverSvg(slug: string, category: string): string {
  const hue = hash(category) % 360;
  const rand = prng(hash(slug));
  const shapes: string[] = [];
  for (let i = 0; i < 7; i++) {
    const x = Math.round(rand() * COVER_WIDTH);
    const y = Math.round(rand() * COVER_HEIGHT);
    const r = Math.round(30 + rand() * 140);
    const light = Math.round(55 + rand() * 30);
    const opacity = (0.15 + rand() * 0.35).toFixed(2);
    shapes.push(
      i % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${(hue + 30 * i) % 360}, 70%, ${light}%)" fill-opacity="${opacity}"/>`
        : `<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" rx="${Math.round(r / 5)}" transform="rotate(${Math.round(rand() * 90 - 45)} ${x} ${y})" fill="hsl(${(hue + 180) % 360}, 60%, ${light}%)" fill-opacity="${opacity}"/>`
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" viewBox="0 0 ${COVER_WIDTH} ${COVER_HEIGHT}">`,
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue}, 65%, 38%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360}, 70%, 22%)"/></linearGradient></defs>`,
    `<rect width="100%" height="100%" fill="url(#g)"/>`,
    ...shapes,
    '</svg>',
  ].join('');
}

/** The cover as a PNG. */
export function coverPng(slug: string, category: string): Promise<Buffer> {
  return sharp(Buffer.from(coverSvg(slug, category))).png({ compressionLevel: 9 }).toBuffer();
}
