/**
 * Labels of the HTTP metrics. A route label is the route's path template as the router matched
 * it (`/api/courses/:id`), never the raw path: raw paths would make one series per course, per
 * file, per attacker's spelling. Requests no route matched share one label.
 */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function routeLabel(matched: string | undefined | null, status: number): string {
  if (matched) return matched;
  return status === 404 ? 'unmatched' : 'static';
}

/** Methods outside the usual set collapse to one label (an attacker chooses the method). */
export function methodLabel(method: string): string {
  const m = method.toUpperCase();
  return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(m) ? m : 'OTHER';
}

/** The caller's `X-Request-Id` when it is a sane token (a proxy's), else a new one from `generate`. */
export function requestId(incoming: string | string[] | undefined, generate: () => string): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && REQUEST_ID.test(value) ? value : generate();
}
