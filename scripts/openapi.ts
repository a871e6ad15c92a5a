/**
 * `npm run openapi`: boots the compiled app on a fresh SQLite database (what a new install
 * exposes), builds the OpenAPI document of the REST surface (src/lib/openapi.ts) and writes it to
 * types/openapi.json. `npm run openapi -- --check` writes nothing and exits 1 when the committed
 * document differs from the code (the integration suite runs the same check).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bootApp } from '../tests/support/strapi';
import { buildOpenApiDocument, serialiseOpenApi } from '../src/lib/openapi';

const TARGET = path.resolve(__dirname, '..', 'types', 'openapi.json');

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const app = await bootApp({ db: 'sqlite' });
  try {
    const text = serialiseOpenApi(await buildOpenApiDocument(app.strapi));
    const operations = Object.values(JSON.parse(text).paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).length, 0);
    if (check) {
      const committed = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
      if (committed !== text) {
        console.error(`✖ ${path.relative(process.cwd(), TARGET)} is stale: run npm run openapi and commit it.`);
        process.exitCode = 1;
      } else console.log(`✔ ${path.relative(process.cwd(), TARGET)} is current (${operations} operations).`);
    } else {
      fs.writeFileSync(TARGET, text);
      console.log(`wrote ${path.relative(process.cwd(), TARGET)}: ${operations} operations, ${Math.round(text.length / 1024)} KB`);
    }
  } finally {
    await app.close();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  }
);
