/**
 * `npm run backup [-- --out FILE]`: one archive of the database named by DATABASE_* and the local
 * upload folders (public/uploads, PAYWALL_PRIVATE_UPLOADS_DIR). Default: .tmp/backups/backup-<time>.tar.gz.
 * See scripts/lib/backup.ts and the README's "Backup and restore".
 */
import { backup, BackupError } from './lib/backup';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : args.find((a) => a.startsWith('--out='))?.slice('--out='.length);

backup({ env: process.env, cwd: process.cwd(), out })
  .then((r) => {
    console.log(`backup written: ${r.file} (${(r.bytes / 1024).toFixed(0)} KB; ${r.manifest.database.client} database, ${r.manifest.uploads.public} public and ${r.manifest.uploads.private} private upload files)`);
  })
  .catch((error: unknown) => {
    console.error(`backup failed: ${error instanceof BackupError ? error.message : error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
