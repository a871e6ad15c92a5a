/**
 * Helpers of the learning plugin's integration tests: entitlements through the paywall's real
 * service, PDF structure checks, a query counter, a stand-in for the recommender's service, and
 * a runner of the routes' documented examples.
 */
import { definedRoutes, errorResponseSchema, requireNeighbour, type RouteExample, type RouteSpec } from '@kp/platform';
import type { TestApp } from './strapi';

/** Grants a learner a course through the paywall's ledger (as checkout would after a purchase). */
export async function grantCourse(app: TestApp, userId: number, courseDocumentId: string): Promise<void> {
  const { entitlements } = requireNeighbour(app.strapi, 'paywall', 'Granting a course');
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
  const count = counts.reduce((m, c) => Math.max(m, c), -1);
  if (count !== pageObjects) throw new Error(`page tree says ${count} pages, ${pageObjects} page objects found`);
  const fonts = [...new Set([...text.matchAll(/\/BaseFont\s*\/([^\s/>]+)/g)].map((m) => m[1]!))];
  if (!/%%EOF\s*$/.test(text)) throw new Error('PDF does not end with %%EOF');
  return { header: text.slice(0, 5), pages: pageObjects, fonts, size: buffer.length };
}

/** Counts the SQL statements `fn` makes (every statement knex sends, auth lookups included). */
export async function countQueries<T>(app: TestApp, fn: () => Promise<T>): Promise<{ result: T; queries: number; sql: string[] }> {
  const sql: string[] = [];
  // Only statements run while serving an HTTP request (Strapi's request context): background work
  // of other plugins (a debounced re-index, the outbox worker) runs outside any request.
  const listener = (q: { sql: string }) => {
    if (app.strapi.requestContext.get()) sql.push(q.sql);
  };
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

/** The learning plugin's routes as registered, with their full paths. */
export function learningRoutes(): Array<{ fullPath: string; spec: RouteSpec }> {
  return definedRoutes().filter((r) => r.plugin === 'learning' && r.type === 'content-api');
}

/** The registered route of a handler (`progress.record`), to check real answers against its schema. */
export function learningRoute(handler: string): RouteSpec {
  const found = learningRoutes().find((r) => r.spec.handler === handler);
  if (!found) throw new Error(`no learning route has the handler ${handler}`);
  return found.spec;
}

/** Every problem of `body` against `schema`, as text (empty when it matches). */
export function schemaProblems(schema: RouteSpec['response'], body: unknown): string {
  const parsed = schema.safeParse(body);
  return parsed.success ? '' : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Replaces fixture tokens (`$course`, `$certificate`…) in an example's values; an unknown token fails. */
function resolveTokens(value: unknown, tokens: Record<string, string>): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const resolved = tokens[value];
    if (resolved === undefined) throw new Error(`no fixture for the token ${value}`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v) => resolveTokens(v, tokens));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTokens(v, tokens)]));
  return value;
}

export interface ExampleOutcome {
  status: number;
  /** What disagrees with the documentation: the status, the body against the route's schema, the media type. */
  problems: string[];
}

/**
 * Sends one documented example as its `as` caller and checks the answer against the route: the
 * documented status, a 200 body against `response` (or the media type in `produces`), a refusal
 * against the error envelope.
 */
export async function runExample(
  app: TestApp,
  route: { fullPath: string; spec: RouteSpec },
  example: RouteExample,
  callers: Partial<Record<NonNullable<RouteExample['as']>, { auth: string }>>,
  tokens: Record<string, string>
): Promise<ExampleOutcome> {
  const params = resolveTokens(example.params ?? {}, tokens) as Record<string, string>;
  const path = route.fullPath.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.spec.method} ${route.fullPath}: example "${example.name}" has no ${name}`);
    return encodeURIComponent(value);
  });
  const method = route.spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = app.http()[method](path).query(resolveTokens(example.query ?? {}, tokens) as Record<string, string>);
  const as = example.as ?? 'anonymous';
  if (as !== 'anonymous') {
    const caller = callers[as];
    if (!caller) throw new Error(`example "${example.name}": no ${as} to send it as`);
    req = req.set('Authorization', caller.auth);
  }
  if (example.body !== undefined) req = req.send(resolveTokens(example.body, tokens) as object);
  if (route.spec.produces) {
    req = req.buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  }
  const res = await req;
  // A route that answers a file was read as bytes: its refusals are still JSON.
  const body: unknown =
    Buffer.isBuffer(res.body) && String(res.headers['content-type'] ?? '').includes('json') ? JSON.parse(res.body.toString('utf8')) : res.body;
  const problems: string[] = [];
  if (res.status !== example.status) problems.push(`status ${res.status}, documented ${example.status}`);
  if (res.status === 200 && route.spec.produces) {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith(route.spec.produces)) problems.push(`content-type ${type}, documented ${route.spec.produces}`);
  } else if (res.status === 200) {
    const mismatch = schemaProblems(route.spec.response, body);
    if (mismatch) problems.push(`body against the response schema: ${mismatch}`);
  } else if (res.status >= 400) {
    const mismatch = schemaProblems(errorResponseSchema, body);
    if (mismatch) problems.push(`body against the error envelope: ${mismatch}`);
    const documented = (route.spec.errors ?? {}) as Record<number, string>;
    if (!documented[res.status]) problems.push(`status ${res.status} is not among the documented errors`);
  }
  return { status: res.status, problems };
}
