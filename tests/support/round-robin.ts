/**
 * A loopback proxy sending each request to the next target in turn (http-proxy), for the
 * two-instance tests and the scale-out benchmark. No keep-alive towards the targets: a reused
 * socket a server has just closed (its idle timeout) would answer 502.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';

export interface RoundRobinProxy {
  url: string;
  close(): Promise<void>;
}

export async function roundRobin(targets: string[]): Promise<RoundRobinProxy> {
  const proxy = httpProxy.createProxyServer({ xfwd: false });
  let next = 0;
  proxy.on('error', (error, _req, res) => {
    const out = res as http.ServerResponse;
    if (!out.headersSent) out.writeHead(502, { 'Content-Type': 'text/plain' });
    out.end(`proxy: ${error.message}`);
  });
  const server = http.createServer((req, res) => {
    const target = targets[next++ % targets.length]!;
    proxy.web(req, res, { target });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        proxy.close();
      }),
  };
}
