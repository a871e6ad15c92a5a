/**
 * `npm run restore -- ARCHIVE [--force]`: restores a backup of `npm run backup` into the database
 * named by DATABASE_* and the local upload folders. Refuses a database with tables or an upload
 * folder with files unless --force. Stop the app first. See the README's "Backup and restore".
 */
import { BackupError, restore } from './lib/backup';

const args = process.argv.slice(2);
const force = args.includes('--force');
const archive = args.find((a) => !a.startsWith('--'));

if (!archive) {
  console.error('usage: npm run restore -- <backup.tar.gz> [--force]');
  process.exit(2);
}

restore({ env: process.env, cwd: process.cwd(), archive, force })
  .then((r) => {
    console.log(`restored ${r.manifest.database.client} backup of ${r.manifest.createdAt} into ${r.database}; uploads into ${r.uploads.public} and ${r.uploads.private}`);
  })
  .catch((error: unknown) => {
    console.error(`restore failed: ${error instanceof BackupError ? error.message : error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
