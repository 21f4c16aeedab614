import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { EMBEDDED_PASSWORD, EMBEDDED_USER, EmbeddedServer } from '../database/embedded-postgres';
import { EMBEDDED_DATABASE } from '../database/prepare-database';
import { BackupService } from './backup.service';
import { BackupError } from './dump-format';

const USAGE = 'usage: npm run backup [-- --dir DIR]  |  npm run restore -- FILE [--force]';

/**
 * `npm run backup [-- --dir DIR]`: one dump of DATABASE_URL (or the embedded database, running or not)
 * into BACKUP_DIR, keeping BACKUP_KEEP. `npm run restore -- FILE [--force]`: loads a dump into an empty
 * database; --force replaces a database that has tables. In the image: `node dist/…/backup.cli.js`.
 */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  const { url, release } = await openDatabase(config);
  try {
    const backups = new BackupService(Object.assign(Object.create(AppConfig.prototype), config, { databaseUrl: url }));
    if (command === 'backup') {
      const dir = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : undefined;
      if (args.includes('--dir') && !dir) throw new BackupError(`--dir needs a directory; ${USAGE}`);
      const done = await backups.backup({ dir: dir && resolve(dir) });
      console.log(
        `backup written: ${done.file} (${done.tables} tables, ${done.rows} rows, ${done.migrations} migrations)` +
          (done.pruned.length
            ? `; deleted the ${done.pruned.length} oldest beyond BACKUP_KEEP=${config.backup.keep}`
            : ''),
      );
    } else if (command === 'restore') {
      const file = args.find((arg) => !arg.startsWith('--'));
      if (!file) throw new BackupError(`which file? ${USAGE}`);
      const done = await backups.restore(resolve(file), { force: args.includes('--force') });
      console.log(
        `restored ${file}: the database as of ${done.createdAt}, ${done.tables} tables, ${done.rows} rows` +
          (done.upgradedWith.length ? `; then upgraded with ${done.upgradedWith.join(', ')}` : ''),
      );
    } else {
      throw new BackupError(USAGE);
    }
  } finally {
    await release();
  }
}

/**
 * DATABASE_URL, or the embedded database: the running server of `npm start` if there is one (its
 * postmaster.pid names the port), else one started for this command and stopped after it.
 */
async function openDatabase(config: AppConfig): Promise<{ url: string; release: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, release: async () => undefined };
  const dataDir = resolve(config.dataDir, 'pg');
  const running = runningPort(dataDir);
  if (running !== null) {
    const url = `postgres://${EMBEDDED_USER}:${encodeURIComponent(EMBEDDED_PASSWORD)}@127.0.0.1:${running}/${EMBEDDED_DATABASE}`;
    return { url, release: async () => undefined };
  }
  const server = new EmbeddedServer({ dataDir, port: config.embeddedPort });
  await server.start();
  await server.ensureDatabase(EMBEDDED_DATABASE);
  return { url: server.url(EMBEDDED_DATABASE), release: () => server.stop() };
}

/** Port of a live server on this data directory (postmaster.pid: pid on line 1, port on line 4). */
function runningPort(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
    return Number(port);
  } catch (error) {
    // EPERM: alive, but run by the `postgres` system user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? Number(port) : null;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof BackupError) {
    console.error(error.message);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
