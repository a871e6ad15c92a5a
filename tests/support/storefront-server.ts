/**
 * Boots the real app for the storefront's browser test on a real loopback port (a browser needs a
 * URL; supertest only hands requests to the server object), with a small demo catalogue seeded
 * through the same writer as `npm run seed`.
 */
import net from 'node:net';
import { bootApp, type BootOptions, type TestApp } from './strapi';
import { buildDemoCatalogue } from '../../scripts/lib/demo-catalogue';
import { seedCatalogue } from '../../scripts/lib/seed-writer';

export interface StorefrontServer {
  app: TestApp;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

export interface StorefrontServerOptions extends Omit<BootOptions, 'env'> {
  /** Demo courses to seed when the database has none (0: none). */
  courses?: number;
  /** Fixed port (default: a free one). */
  port?: number;
  /** Extra environment for the boot; a function receives the base URL (for allowed return origins). */
  env?: Record<string, string> | ((baseUrl: string) => Record<string, string>);
}

/** A free loopback port, asked of the OS (the tiny window before Strapi binds it is acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Boots, seeds and listens on 127.0.0.1. The port is chosen before the boot because the app's
 * configuration needs the storefront's origin (Stripe return URLs are checked against it).
 * `close()` stops the server and drops the database.
 */
export async function startStorefrontServer(options: StorefrontServerOptions = {}): Promise<StorefrontServer> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = typeof options.env === 'function' ? options.env(baseUrl) : options.env;
  const app = await bootApp({ ...options, env });
  try {
    const courses = options.courses ?? 8;
    if (courses > 0 && (await app.strapi.db.query('api::course.course').count()) === 0) {
      await seedCatalogue(app.strapi, buildDemoCatalogue({ courses }));
    }
    // bootApp mounted the Koa app on an http.Server without listening: listen now.
    const server = app.strapi.server.httpServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return {
      app,
      baseUrl,
      async close() {
        // Keep-alive sockets left by the browser would hold close() until their idle timeout.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await app.close();
      },
    };
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}
