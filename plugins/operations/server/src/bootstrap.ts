import http from 'node:http';
import type { Core } from '@strapi/strapi';
import { METRICS_PATH } from './middlewares/http';
import { getService, pluginConfig } from './utils';

let internal: http.Server | null = null;

/** Starts the metrics, and the internal metrics port when METRICS_PORT is set. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const metrics = getService(strapi, 'metrics');
  metrics.start();
  const port = pluginConfig(strapi, 'metricsPort');
  if (port === 0) return;
  const host = pluginConfig(strapi, 'metricsHost');
  internal = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Only GET ${METRICS_PATH} is served here.\n`);
      return;
    }
    metrics.exposition().then(
      ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body),
      (error: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${error.message}\n`)
    );
  });
  await new Promise<void>((resolve, reject) => {
    internal!.once('error', (error) => reject(new Error(`METRICS_PORT=${port} on ${host}: ${error.message}`)));
    internal!.listen(port, host, () => resolve());
  });
  strapi.log.info(`[operations] metrics on http://${host}:${port}${METRICS_PATH}`);
};

export async function closeInternalPort(): Promise<void> {
  const server = internal;
  internal = null;
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
}
