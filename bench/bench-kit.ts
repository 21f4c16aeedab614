import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, get, request } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import ts from 'typescript';
import { DataSource } from 'typeorm';
import type { INestApplication } from '@nestjs/common';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { createApp } from '../apps/api/src/bootstrap';
import { type AppConfig, loadConfig } from '../apps/api/src/config/app-config';
import { dataSourceOptions } from '../apps/api/src/database/data-source-options';
import type { ServerCommand, ServerReady, ServerReport } from './server.child';

/**
 * The dashboard-endpoint benches (analytics, titles) measure on the same data set the same way: the demo
 * data of 1,000,000 orders in the demo's zone, sequential requests after a warm-up.
 */
export const ENDPOINT_BENCH = { orders: 1_000_000, zone: 'Europe/Berlin', requests: 200, warmup: 20 } as const;

/** The API's configuration on a dashboard-endpoint bench's database: production, quiet, in its zone. */
export function endpointBenchConfig(url: string): AppConfig {
  return loadConfig({
    DATABASE_URL: url,
    DEMO_DATA: 'false',
    BUSINESS_TIMEZONE: ENDPOINT_BENCH.zone,
    BASE_CURRENCY: 'USD',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
  });
}

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
  /**
   * A fresh, migrated database on that server; dropped when the bench run ends. `reuse`: with BENCH_PG_DIR
   * set, a database of that name that a run before marked seeded (`markSeeded`) is kept and migrated
   * instead (`reused` true), so that a bench that seeds for minutes can be rerun on the same data.
   */
  createDatabase(
    name: string,
    options?: { reuse?: boolean },
  ): Promise<{ url: string; dataSource: DataSource; reused: boolean }>;
  /** Marks a database of `createDatabase(name, { reuse: true })` as seeded: a later run may reuse it. */
  markSeeded(name: string): Promise<void>;
  /** Drops one of those before the run ends (a large one, to give its disk back). */
  dropDatabase(name: string): Promise<void>;
  log(message: string): void;
}

export type Bench = (ctx: BenchContext) => Promise<BenchRow[]>;

/**
 * How a bench runs the API in a child process of its own. `compiled` (the default) is the API as users run
 * it (`npm start` and the Docker image run node on the build): its RSS is the product's. `ts-node`
 * (BENCH_API=ts-node) adds ts-node and the TypeScript compiler, about 100 MB, to every figure.
 */
export type ApiBuild = 'compiled' | 'ts-node';

export function apiBuild(): ApiBuild {
  return process.env.BENCH_API === 'ts-node' ? 'ts-node' : 'compiled';
}

/** What the note of a figure says about the process measured. */
export function apiBuildNote(build: ApiBuild): string {
  return build === 'compiled' ? 'compiled API (node dist/…, as npm start runs it)' : 'API through ts-node';
}

/**
 * The script and Node options that run `bench/<child>.ts` as `build` says. Compiled: the API is built
 * when its build is stale (the check npm start makes), and the child transpiled into the build's tree
 * (dist/apps/api/bench/, beside dist/apps/api/apps/api/src/), so that its imports of ../apps/api/src/…
 * load the compiled modules: neither ts-node nor the TypeScript compiler in the process.
 */
export function apiChild(child: string, build: ApiBuild): { script: string; execArgv: string[] } {
  const source = join(__dirname, child);
  if (build === 'ts-node')
    return { script: source, execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] };
  const root = join(__dirname, '..');
  // require(esm): the same module as npm start's, so that "stale" means the same here.
  const { API_ENTRY, buildSources, stale } = createRequire(__filename)(join(root, 'scripts/build-staleness.mjs')) as {
    API_ENTRY: string;
    buildSources(root: string): { api: string[] };
    stale(root: string, output: string, sources: string[]): boolean;
  };
  if (stale(root, API_ENTRY, buildSources(root).api))
    execFileSync('npm', ['run', 'build:api'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: source,
  });
  const script = join(root, 'dist/apps/api/bench', basename(child).replace(/\.ts$/, '.js'));
  mkdirSync(join(script, '..'), { recursive: true });
  writeFileSync(script, outputText);
  return { script, execArgv: [] };
}

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

/** What `markBenchDatabaseSeeded` writes as the database's comment. */
const SEEDED = 'bench: seeded';

/** `reuse`: a database of that name marked seeded is kept (and migrated) instead of created afresh. */
export async function createBenchDatabase(
  adminUrl: string,
  name: string,
  reuse = false,
): Promise<{ url: string; dataSource: DataSource; reused: boolean }> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  let reused = false;
  try {
    const [seeded] = (
      await admin.query<{ comment: string | null }>(
        `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
        [name],
      )
    ).rows;
    reused = reuse && seeded?.comment === SEEDED;
    if (!reused) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions(url.toString()));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return { url: url.toString(), dataSource, reused };
}

export async function markBenchDatabaseSeeded(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`COMMENT ON DATABASE ${name} IS '${SEEDED}'`);
  } finally {
    await admin.end();
  }
}

export async function dropBenchDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
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
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): to see where the server's time goes.
    execArgv: [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
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

/** What the runs of one hand-written baseline query may take together before fewer are run. */
const SQL_BUDGET_MS = 20_000;
/** The fewest runs of a slow baseline (its p50 is then their median). */
const SLOW_SQL_RUNS = 3;

/** One endpoint against the single hand-written query that answers the same question (SPEC §9). */
export interface EndpointCase {
  /** The metric's name in the table. */
  name: string;
  path: string;
  sql: string;
  params: unknown[];
}

/**
 * p50/p95 of `c.path` over HTTP beside p50/p95 of `c.sql` on the same database in the same run, and
 * their ratio (target ≤ 2): the rows every dashboard-endpoint bench prints.
 */
export async function endpointAgainstSql(
  ctx: BenchContext,
  http: { agent: Agent; port: number; token: string },
  dataSource: DataSource,
  c: EndpointCase,
  options: { warmup: number; requests: number; sqlRuns: number; p95TargetMs: number; sqlNote: string },
): Promise<BenchRow[]> {
  for (let i = 0; i < options.warmup; i++) await timedGet(http.agent, http.port, http.token, c.path);
  const api: number[] = [];
  for (let i = 0; i < options.requests; i++) api.push(await timedGet(http.agent, http.port, http.token, c.path));
  const timedSql = async () => {
    const t0 = process.hrtime.bigint();
    await dataSource.query(c.sql, c.params);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  // A baseline that takes seconds (a year over the raw lines) is run fewer times: one warm-up, then as
  // many runs as fit in SQL_BUDGET_MS, at least SLOW_SQL_RUNS; fast ones get 5 warm-ups and every run.
  const firstMs = await timedSql();
  const slow = firstMs * options.sqlRuns > SQL_BUDGET_MS;
  for (let i = 0; i < (slow ? 0 : 4); i++) await timedSql();
  const runs = slow
    ? Math.max(SLOW_SQL_RUNS, Math.min(options.sqlRuns, Math.floor(SQL_BUDGET_MS / firstMs)))
    : options.sqlRuns;
  const sql: number[] = [];
  for (let i = 0; i < runs; i++) sql.push(await timedSql());
  const [p50, p95, sqlP50, sqlP95] = [
    percentile(api, 50),
    percentile(api, 95),
    percentile(sql, 50),
    percentile(sql, 95),
  ];
  const ratio = p50 / sqlP50;
  ctx.log(
    `${c.name}: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms; SQL p50 ${sqlP50.toFixed(2)} ms, p95 ${sqlP95.toFixed(2)} ms`,
  );
  return [
    { metric: `${c.name} p50`, value: round(p50), unit: 'ms', target: '', ok: true },
    {
      metric: `${c.name} p95`,
      value: round(p95),
      unit: 'ms',
      target: `< ${options.p95TargetMs}`,
      ok: p95 < options.p95TargetMs,
    },
    {
      metric: `${c.name} SQL p50`,
      value: round(sqlP50),
      unit: 'ms',
      target: '',
      ok: true,
      note: `${options.sqlNote}, p95 ${round(sqlP95)} ms of ${runs} runs`,
    },
    {
      metric: `${c.name} ratio`,
      value: round(ratio),
      unit: '×',
      target: '≤ 2',
      ok: ratio <= 2,
      note: 'API p50 over HTTP / SQL p50',
    },
  ];
}

/** The API in this process, listening on a free port of 127.0.0.1. */
export async function listenInProcess(config: AppConfig): Promise<{ app: INestApplication; port: number }> {
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, port: (app.getHttpServer().address() as AddressInfo).port };
}

/**
 * An API token of a new user with `role`: every request a bench sends passes the real authentication guard,
 * as the dashboard's would.
 */
export async function benchToken(
  app: INestApplication,
  dataSource: DataSource,
  email: string,
  role: 'viewer' | 'admin',
): Promise<string> {
  const [user]: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Bench', $2, 'x') RETURNING id::text AS id`,
    [email, role],
  );
  return (await app.get(AuthService).createToken('bench', user!.id, null))!.secret;
}
