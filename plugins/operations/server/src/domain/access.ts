/**
 * Who may read `/metrics` on the public port: only a caller with the configured bearer token.
 * Without a token the route is closed there (metrics name routes, volumes and timings an attacker
 * should not see); an internal port (`METRICS_PORT`) serves them without one.
 */
import { timingSafeEqual } from 'node:crypto';

export type MetricsAccess = { allow: true } | { allow: false; status: 401 | 403; message: string };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function metricsAccess(input: { token: string; authorization: string | undefined; internalPort: boolean }): MetricsAccess {
  if (input.internalPort) return { allow: true };
  if (!input.token) {
    return {
      allow: false,
      status: 403,
      message: 'Metrics are not served on this port: set METRICS_TOKEN (then send Authorization: Bearer <token>) or METRICS_PORT (an internal port).',
    };
  }
  const match = /^Bearer (.+)$/i.exec(input.authorization ?? '');
  if (!match || !sameSecret(match[1]!.trim(), input.token)) {
    return { allow: false, status: 401, message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' };
  }
  return { allow: true };
}
