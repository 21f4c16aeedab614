import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipe } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { HealthResponse } from '@mt/contracts';
import { AppConfig } from '../config/app-config';
import { backupFileName, listBackups, pruneBackups, writeAtomically } from './backup-files';
import { dumpDatabase, DumpSummary, restoreDatabase, RestoreSummary } from './database-dump';
import { BackupError } from './dump-format';

export interface BackupResult extends DumpSummary {
  file: string;
  at: Date;
  /** Older backups deleted to keep BACKUP_KEEP. */
  pruned: string[];
}

/**
 * Backups of the whole database as files (see dump-format.ts): written by the scheduled job and
 * `npm run backup`, read by `npm run restore`; health reports the age of the newest.
 */
@Injectable()
export class BackupService {
  constructor(private readonly config: AppConfig) {}

  /** One complete dump into `dir` (BACKUP_DIR by default), then the oldest beyond BACKUP_KEEP go. */
  async backup(options: { dir?: string; now?: Date } = {}): Promise<BackupResult> {
    const dir = options.dir ?? this.config.backup.dir;
    if (!dir) throw new BackupError('no backup directory: set BACKUP_DIR, or pass --dir DIR');
    const at = options.now ?? new Date();
    const { file, result } = await writeAtomically(dir, backupFileName(at), async (partial) => {
      const gzip = createGzip();
      const written = pipeline(gzip, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      try {
        const summary = await dumpDatabase(this.databaseUrl(), gzip, at);
        await written;
        return summary;
      } catch (error) {
        gzip.destroy();
        await written.catch(() => undefined);
        throw error;
      }
    });
    const pruned = await pruneBackups(dir, this.config.backup.keep);
    return { file, at, ...result, pruned };
  }

  /** Loads a backup into the configured database: refused if it has tables, unless `force`. */
  async restore(file: string, options: { force: boolean }): Promise<RestoreSummary> {
    await access(file).catch(() => {
      throw new BackupError(`no backup file at ${file}`);
    });
    const input = pipe(createReadStream(file), createGunzip(), () => undefined);
    try {
      return await restoreDatabase(this.databaseUrl(), input, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'Z_BUF_ERROR') throw new BackupError(`${file} is incomplete (it was cut off): nothing was restored`);
      if (code === 'Z_DATA_ERROR')
        throw new BackupError(`${file} is not a backup of MT Ink Dashboard (not a gzip file): nothing was restored`);
      throw error;
    } finally {
      input.destroy();
    }
  }

  /** The newest backup in BACKUP_DIR and its age; null when scheduled backups are off. */
  async status(now = new Date()): Promise<HealthResponse['backup']> {
    const dir = this.config.backup.dir;
    if (!dir) return null;
    // A directory that cannot be read must not take the health check down with it: no backup, then.
    const [newest] = await listBackups(dir).catch(() => []);
    if (!newest) return { lastAt: null, ageHours: null };
    return {
      lastAt: newest.at.toISOString(),
      ageHours: Math.round((now.getTime() - newest.at.getTime()) / 360_000) / 10,
    };
  }

  private databaseUrl(): string {
    if (!this.config.databaseUrl) throw new Error('the database URL must be resolved before a backup');
    return this.config.databaseUrl;
  }
}
