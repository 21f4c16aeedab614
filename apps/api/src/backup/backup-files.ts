import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** `mtink-2026-05-01T03.00.00.000Z.dump.gz`: the UTC time the dump began, readable, sortable, no colons. */
const NAME = /^mtink-(\d{4}-\d\d-\d\dT\d\d)\.(\d\d)\.(\d\d)\.(\d{3})Z\.dump\.gz$/;
const PARTIAL = /^\.mtink-.*\.partial$/;
/** A partial file untouched for this long belongs to a dump that died (a dump writes continuously). */
const STALE_PARTIAL_MS = 60 * 60_000;

export interface BackupFile {
  file: string;
  at: Date;
}

export function backupFileName(at: Date): string {
  return `mtink-${at.toISOString().replace(/:/g, '.')}.dump.gz`;
}

export function backupTime(name: string): Date | null {
  const match = NAME.exec(name);
  return match ? new Date(`${match[1]}:${match[2]}:${match[3]}.${match[4]}Z`) : null;
}

/** Complete backups in `dir`, newest first; files of other names are not ours and are left alone. */
export async function listBackups(dir: string): Promise<BackupFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((name) => ({ file: join(dir, name), at: backupTime(name) }))
    .filter((backup): backup is BackupFile => backup.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Deletes the oldest backups beyond `keep`, and partial files that a dead dump left; returns the deleted. */
export async function pruneBackups(dir: string, keep: number, now = new Date()): Promise<string[]> {
  const deleted = (await listBackups(dir)).slice(keep).map((backup) => backup.file);
  for (const name of await readdir(dir)) {
    if (!PARTIAL.test(name)) continue;
    const { mtimeMs } = await stat(join(dir, name));
    if (now.getTime() - mtimeMs > STALE_PARTIAL_MS) deleted.push(join(dir, name));
  }
  for (const file of deleted) await unlink(file);
  return deleted;
}

/**
 * Writes `name` in `dir` through a hidden partial file that is synced and then renamed: the name
 * appears only with the whole content behind it, and a failed write leaves nothing under it.
 * Backups hold password hashes: readable by their owner only.
 */
export async function writeAtomically<T>(
  dir: string,
  name: string,
  write: (path: string) => Promise<T>,
): Promise<{ file: string; result: T }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const partial = join(dir, `.${name}.${randomBytes(4).toString('hex')}.partial`);
  const file = join(dir, name);
  try {
    const result = await write(partial);
    const handle = await open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
    return { file, result };
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
}
