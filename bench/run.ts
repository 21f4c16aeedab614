import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedServer } from '../apps/api/src/database/embedded-postgres';
import { freePort } from '../apps/api/test/global-setup';
import { Bench, BenchContext, BenchRow, createBenchDatabase } from './bench-kit';

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
  if (!adminUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'mtink-bench-pg-'));
    server = new EmbeddedServer({ dataDir, port: await freePort() });
    await server.start();
    adminUrl = server.url('postgres');
  }
  const databases: Array<{ dataSource: { destroy(): Promise<void> } }> = [];
  const ctx: BenchContext = {
    adminUrl,
    log: (message) => process.stderr.write(`  ${message}\n`),
    async createDatabase(name) {
      const db = await createBenchDatabase(adminUrl!, name);
      databases.push(db);
      return db;
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
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  printTable(rows);
}

function printTable(rows: Array<BenchRow & { bench: string }>): void {
  const header = ['bench', 'metric', 'value', 'unit', 'target', 'ok', 'note'];
  const lines = rows.map((row) => [row.bench, row.metric, String(row.value), row.unit, row.target, row.ok ? 'yes' : 'NO', row.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const line of lines) console.log(format(line));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
