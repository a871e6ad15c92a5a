/** The part of fontkit (pdfkit's font engine, no types of its own) this plugin uses. */
declare module 'fontkit' {
  export interface Font {
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
    /** pdfkit recognises a parsed font by this method. */
    layout(text: string): unknown;
  }
  export function create(buffer: Buffer | Uint8Array, postscriptName?: string): Font;
}
