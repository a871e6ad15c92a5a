/**
 * Helpers of the learning plugin's integration tests: entitlements through the paywall's real
 * service, PDF structure checks, a query counter, and a stand-in for the recommender's service.
 */
import type { TestApp } from './strapi';

/** Grants a learner a course through the paywall's ledger (as checkout would after a purchase). */
export async function grantCourse(app: TestApp, userId: number, courseDocumentId: string): Promise<void> {
  const entitlements = app.strapi.plugin('paywall').service('entitlements') as {
    grant(input: { userId: number; courseDocumentId: string; source: 'grant'; sourceRef: string }): Promise<unknown>;
  };
  await entitlements.grant({ userId, courseDocumentId, source: 'grant', sourceRef: `learning-test-${userId}-${courseDocumentId}` });
}

export interface PdfFacts {
  header: string;
  pages: number;
  /** Names of the fonts the PDF uses (BaseFont entries). */
  fonts: string[];
  size: number;
}

/**
 * Reads what a test needs from a PDF without a PDF library: the header, the page count from the
 * page objects (`/Type /Page`, not `/Pages`) checked against the page tree's `/Count`, and the
 * fonts. pdfkit writes object dictionaries uncompressed; only content streams are deflated.
 */
export function inspectPdf(buffer: Buffer): PdfFacts {
  const text = buffer.toString('latin1');
  const pageObjects = (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  const counts = [...text.matchAll(/\/Type\s*\/Pages[\s\S]{0,200}?\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
  const count = counts.length > 0 ? Math.max(...counts) : -1;
  if (count !== pageObjects) throw new Error(`page tree says ${count} pages, ${pageObjects} page objects found`);
  const fonts = [...new Set([...text.matchAll(/\/BaseFont\s*\/([^\s/>]+)/g)].map((m) => m[1]!))];
  if (!/%%EOF\s*$/.test(text)) throw new Error('PDF does not end with %%EOF');
  return { header: text.slice(0, 5), pages: pageObjects, fonts, size: buffer.length };
}

/** Counts the SQL statements `fn` makes (every statement knex sends, auth lookups included). */
export async function countQueries<T>(app: TestApp, fn: () => Promise<T>): Promise<{ result: T; queries: number; sql: string[] }> {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  const knex = app.strapi.db.connection;
  knex.on('query', listener);
  try {
    const result = await fn();
    return { result, queries: sql.length, sql };
  } finally {
    knex.removeListener('query', listener);
  }
}

export interface RecordedInteraction {
  userId: number;
  courseDocumentId: string;
  kind: string;
  weight?: number;
  at?: Date;
}

const INTERACTIONS_UID = 'plugin::recommender.interactions';

/**
 * Puts a stand-in for the recommender's `interactions` service in the service registry (the
 * recommender is another plugin: this checks the contract between them, and its failure modes),
 * or removes it (`null`), and gives back a restore function.
 */
export function replaceInteractions(app: TestApp, record: ((input: RecordedInteraction) => Promise<void>) | null): () => void {
  const registry = app.strapi.get('services') as {
    get(uid: string): unknown;
    set(uid: string, value: unknown): unknown;
  };
  const original = registry.get(INTERACTIONS_UID);
  registry.set(INTERACTIONS_UID, record ? { record } : undefined); // null: as if the recommender were absent
  return () => registry.set(INTERACTIONS_UID, original);
}
