/**
 * A loopback S3-compatible server (s3rver) for the paywall's media tests. s3rver stores objects
 * but does not enforce ACLs, so a small middleware records the ACL each object was written with
 * and answers 403 to unsigned reads of private objects — what S3 does for a private bucket.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface LoopbackS3 {
  endpoint: string;
  bucket: string;
  env: Record<string, string>;
  /** ACL header each object key was written with. */
  acls: Map<string, string | undefined>;
  close(): Promise<void>;
}

interface KoaLikeCtx {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
}

export async function startLoopbackS3(bucket = 'kp-paywall-test'): Promise<LoopbackS3> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as new (o: Record<string, unknown>) => {
    middleware: Array<(ctx: KoaLikeCtx, next: () => Promise<void>) => Promise<void>>;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  };
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const acls = new Map<string, string | undefined>();
  // First in the chain: s3rver's own routes answer without calling next.
  server.middleware.unshift(async (ctx, next) => {
    const prefix = `/${bucket}/`;
    const key = ctx.path.startsWith(prefix) ? decodeURIComponent(ctx.path.slice(prefix.length)) : null;
    if (key && ctx.method === 'PUT') {
      const acl = ctx.headers['x-amz-acl'];
      acls.set(key, Array.isArray(acl) ? acl[0] : acl);
    }
    const signed = 'X-Amz-Algorithm' in ctx.query || 'Signature' in ctx.query || Boolean(ctx.headers.authorization);
    if (key && (ctx.method === 'GET' || ctx.method === 'HEAD') && !signed && acls.get(key) !== 'public-read') {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
      return;
    }
    await next();
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    acls,
    env: {
      UPLOAD_PROVIDER: 'aws-s3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_REGION: 'us-east-1',
      S3_ACL: 'private',
      S3_SIGNED_URL_EXPIRES: '300',
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
