import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedServer } from '../apps/api/src/database/embedded-postgres';
import { freePort } from '../apps/api/test/global-setup';
import {
  Bench,
  BenchContext,
  BenchRow,
  createBenchDatabase,
  dropBenchDatabase,
  markBenchDatabaseSeeded,
} from './bench-kit';

/**
 * `npm run bench [-- <name>…]`: runs bench/*.bench.ts (or the named ones) against a real PostgreSQL and
 * prints every figure of SPEC §9 beside its target. Exit code 0 even when a target is missed: this
 * measures, the table says what passed.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
    .sort();
  let server: EmbeddedServer | null = null;
  let dataDir: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  // BENCH_PG_DIR: the embedded server's cluster lives there and is kept, and a bench that can (titles)
  // reuses the database it seeded there in a run before.
  const keptDir = process.env.BENCH_PG_DIR || null;
  if (!adminUrl) {
    dataDir = keptDir ?? mkdtempSync(join(tmpdir(), 'mtink-bench-pg-'));
    server = new EmbeddedServer({ dataDir, port: await freePort() });
    await server.start();
    adminUrl = server.url('postgres');
  }
  const databases: Array<{ name: string; dataSource: { destroy(): Promise<void> } }> = [];
  const ctx: BenchContext = {
    adminUrl,
    log: (message) => process.stderr.write(`  ${message}\n`),
    async createDatabase(name, options) {
      const db = await createBenchDatabase(adminUrl!, name, Boolean(keptDir && options?.reuse));
      databases.push({ ...db, name });
      return db;
    },
    markSeeded: (name) => markBenchDatabaseSeeded(adminUrl!, name),
    async dropDatabase(name) {
      for (const db of databases.filter((d) => d.name === name)) await db.dataSource.destroy().catch(() => undefined);
      await dropBenchDatabase(adminUrl!, name);
    },
  };
  const rows: Array<BenchRow & { bench: string }> = [];
  try {
    for (const file of files) {
      const name = file.replace('.bench.ts', '');
      process.stderr.write(`bench ${name}\n`);
      const bench = ((await import(join(__dirname, file))) as { default: Bench }).default;
      try {
        for (const row of await bench(ctx)) rows.push({ ...row, bench: name });
      } catch (error) {
        rows.push({ bench: name, metric: 'failed', value: NaN, unit: '', target: '', ok: false, note: String(error) });
      }
    }
  } finally {
    for (const db of databases) await db.dataSource.destroy().catch(() => undefined);
    await server?.stop();
    if (dataDir && !keptDir) rmSync(dataDir, { recursive: true, force: true });
  }
  printTable(rows);
}

/**
 * The bars of SPEC §9, in its order. A bench row belongs to the first bar whose pattern matches its
 * metric; a bar no row matched is still listed ("not run"), so the table always shows every bar.
 */
const SPEC_BARS: Array<{
  bar: string;
  what: string;
  unit: string;
  target: string;
  matches: (row: BenchRow) => boolean;
}> = [
  {
    bar: '§9 live',
    what: 'order webhook to browser notification, 1,000 clients, p99',
    unit: 'ms',
    target: '< 100',
    matches: (r) => /notification|browser|\blive\b|connected clients/i.test(r.metric),
  },
  {
    bar: '§9 scale',
    what: 'dashboard endpoints at 10M orders, p95 each (npm run bench -- scale)',
    unit: 'ms',
    target: '< 50',
    matches: (r) => (r as BenchRow & { bench?: string }).bench === 'scale' && /p95$/.test(r.metric),
  },
  {
    bar: '§9 endpoints',
    what: 'dashboard endpoints at 1M orders, p95 each',
    unit: 'ms',
    target: '< 20',
    matches: (r) => /p95$/.test(r.metric) && r.unit === 'ms',
  },
  {
    bar: '§9 no-op',
    what: 'authenticated no-op request vs a bare Node http server, p50',
    unit: '×',
    target: '≤ 3',
    matches: (r) => /authenticated no-op/.test(r.metric),
  },
  {
    bar: '§9 vs SQL',
    what: 'endpoint within 2x of the hand-written SQL',
    unit: '×',
    target: '≤ 2',
    matches: (r) => /ratio|SQL/.test(r.metric),
  },
  {
    bar: '§9 ingest',
    what: 'signed webhooks per second, sustained',
    unit: '/s',
    target: '≥ 1000',
    matches: (r) => /webhooks\/s/.test(r.metric),
  },
  {
    bar: '§9 ingest',
    what: 'webhooks lost or doubled',
    unit: '',
    target: '0',
    matches: (r) => /lost or doubled/.test(r.metric),
  },
  {
    bar: '§9 noisy',
    what: 'webhook answer while a 1M-row upload and 25 slow exports run, p99',
    unit: 'ms',
    target: '< 1000',
    matches: (r) => /noisy neighbour: webhook/.test(r.metric),
  },
  {
    bar: '§9 noisy',
    what: 'event-loop delay during that run, p99',
    unit: 'ms',
    target: '< 100',
    matches: (r) => /noisy neighbour: event-loop/.test(r.metric),
  },
  {
    bar: '§9 noisy',
    what: 'health answer during that run, p99',
    unit: 'ms',
    target: 'measured',
    matches: (r) => /noisy neighbour: health/.test(r.metric),
  },
  {
    bar: '§9 upload',
    what: '1M-row weekly-stats CSV import time',
    unit: 's',
    target: '< 15',
    matches: (r) => /CSV import/.test(r.metric) && r.unit === 's',
  },
  {
    bar: '§9 upload',
    what: '1M-row weekly-stats CSV import memory',
    unit: 'MB',
    target: '< 300',
    matches: (r) => /CSV import/.test(r.metric) && r.unit === 'MB',
  },
  {
    bar: '§9 fx',
    what: '10,000 waiting orders converted after a rate file upload',
    unit: 's',
    target: '< 5',
    matches: (r) => /waiting orders converted/.test(r.metric),
  },
  {
    bar: '§9 dashboard',
    what: 'initial JavaScript, gzipped',
    unit: 'KB',
    target: '< 300',
    matches: (r) => /javascript|bundle|\bJS\b/i.test(r.metric),
  },
  {
    bar: '§9 dashboard',
    what: 'first meaningful paint on localhost',
    unit: 'ms',
    target: '< 1000',
    matches: (r) => /paint/i.test(r.metric),
  },
  {
    bar: '§9 dashboard',
    what: 'Lighthouse mobile performance (default throttling)',
    unit: 'score',
    target: '≥ 90',
    matches: (r) => /Lighthouse.*performance/i.test(r.metric),
  },
  {
    bar: '§9 dashboard',
    what: 'Lighthouse mobile accessibility',
    unit: 'score',
    target: '100',
    matches: (r) => /Lighthouse.*accessibility/i.test(r.metric),
  },
];

function printTable(rows: Array<BenchRow & { bench: string }>): void {
  const claimed = new Set<BenchRow>();
  const lines: string[][] = [];
  const line = (bar: string, row: BenchRow & { bench: string }) =>
    lines.push([
      bar,
      row.bench,
      row.metric,
      Number.isNaN(row.value) ? '-' : String(row.value),
      row.unit,
      row.target,
      row.ok ? 'yes' : 'NO',
      row.note ?? '',
    ]);
  for (const spec of SPEC_BARS) {
    const matched = rows.filter((row) => !claimed.has(row) && row.metric !== 'failed' && spec.matches(row));
    for (const row of matched) {
      claimed.add(row);
      line(spec.bar, row);
    }
    if (matched.length === 0) lines.push([spec.bar, '-', spec.what, '-', spec.unit, spec.target, 'not run', '']);
  }
  // Everything else measured (issue figures such as exports, failures, informational rows) after the bars.
  for (const row of rows.filter((r) => !claimed.has(r))) line(row.metric === 'failed' ? 'failed' : 'beyond §9', row);
  const header = ['SPEC', 'bench', 'metric', 'value', 'unit', 'target', 'ok', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((cells) => cells[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const cells of lines) console.log(format(cells));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
