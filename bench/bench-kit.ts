import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, get, request } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../apps/api/src/database/data-source-options';
import type { ServerCommand, ServerReady, ServerReport } from './server.child';

/** One figure of SPEC §9, printed beside its target. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** e.g. "< 20" or "≥ 1000" */
  target: string;
  ok: boolean;
  note?: string;
}

export interface BenchContext {
  /** URL of the bench PostgreSQL server's `postgres` database (embedded unless DATABASE_URL is set). */
  adminUrl: string;
  /** A fresh, migrated database on that server; dropped when the bench run ends. */
  createDatabase(name: string): Promise<{ url: string; dataSource: DataSource }>;
  log(message: string): void;
}

export type Bench = (ctx: BenchContext) => Promise<BenchRow[]>;

/** p-th percentile (0–100) of the samples, nearest rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export async function createBenchDatabase(
  adminUrl: string,
  name: string,
): Promise<{ url: string; dataSource: DataSource }> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions(url.toString()));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return { url: url.toString(), dataSource };
}

/** One authenticated GET over HTTP; resolves with its latency in milliseconds, rejects unless 200. */
export function timedGet(agent: Agent, port: number, token: string, path: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200)
          reject(new Error(`${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString()}`));
        else resolve(Number(process.hrtime.bigint() - t0) / 1e6);
      });
    }).on('error', reject);
  });
}

/** The API in a child process (bench/server.child.ts), driven over IPC. */
export interface ServerProcess {
  port: number;
  tokens: string[];
  /** Starts a measurement window (event-loop delay, peak RSS). */
  mark(): Promise<void>;
  /** Ends it: the server's own figures since `mark()`. */
  report(): Promise<ServerReport>;
  stop(): Promise<void>;
  /** SIGKILL, as a crashed instance. */
  kill(): Promise<void>;
}

/** `discardStdout`: the server's own log lines (LOG_LEVEL=info) go nowhere instead of into the bench's output. */
export async function startServer(
  url: string,
  users: number,
  env: Record<string, string> = {},
  options: { discardStdout?: boolean } = {},
): Promise<ServerProcess> {
  const child = fork(join(__dirname, 'server.child.ts'), [url, String(users), JSON.stringify(env)], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    stdio: ['ignore', options.discardStdout ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const next = async <T>(): Promise<T> => {
    const [message] = await Promise.race([
      once(child, 'message'),
      exited.then(([code]) => Promise.reject(new Error(`API process exited with ${code}`))),
    ]);
    return message as T;
  };
  const ready = await next<ServerReady>();
  return {
    ...ready,
    async mark() {
      child.send('mark' satisfies ServerCommand);
      await next<string>();
    },
    async report() {
      child.send('report' satisfies ServerCommand);
      return next<ServerReport>();
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send('stop' satisfies ServerCommand);
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** One request; resolves with its status (0 when the connection failed), the body read and dropped. */
export function send(
  port: number,
  agent: Agent,
  path: string,
  headers: Record<string, string>,
  body: string | null,
  method = 'POST',
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: body === null ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body ?? undefined);
  });
}
