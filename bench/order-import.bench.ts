import { createWriteStream, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { BenchContext, BenchRow, round } from './bench-kit';
import { runImport } from './spotify.bench';

/** 1,000,000 rows: orders of two line rows each. */
const ORDERS = 500_000;

/**
 * SPEC §9 / issue 12: a 1,000,000-row Shopify orders export imported through the upload service in a
 * child process (its peak RSS is the honest figure): streamed, memory bounded as for Spotify uploads.
 */
export default async function orderImportBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url } = await ctx.createDatabase('bench_order_import');
  const csv = join(tmpdir(), `mtink-bench-orders-${process.pid}.csv`);
  try {
    await writeShopifyExport(csv);
    const child = await runImport(url, csv, 3_600_000);
    ctx.log(`order import: ${JSON.stringify(child)}`);
    const peak = Math.max(child.maxRssMb, child.sampledPeakRssMb);
    const imported = child.status === 'imported' && child.inserted === ORDERS;
    const note = `${child.inserted} orders inserted from ${child.rows} rows; CPU: Node ${round(child.nodeCpuSeconds, 1)} s + PostgreSQL ${round(child.postgresCpuSeconds, 1)} s; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
    return [
      {
        metric: '1M-row order CSV import time',
        value: round(child.seconds),
        unit: 's',
        target: 'measured',
        ok: imported,
        note: imported ? note : `NOT imported: ${child.status}`,
      },
      {
        metric: '1M-row order CSV import peak RSS',
        value: round(peak, 0),
        unit: 'MB',
        target: '< 300',
        ok: imported && peak < 300,
        note: `whole child process, ts-node included; ${round(child.baselineRssMb, 0)} MB before the import started`,
      },
      {
        metric: '1M-row order CSV import event-loop delay p99',
        value: child.eventLoop.p99Ms,
        unit: 'ms',
        target: '< 100',
        ok: imported && child.eventLoop.p99Ms < 100,
        note: `the importing process alone, perf_hooks: p50 ${child.eventLoop.p50Ms} ms, max ${child.eventLoop.maxMs} ms`,
      },
    ];
  } finally {
    rmSync(csv, { force: true });
  }
}

async function writeShopifyExport(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('Name,Financial Status,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Id\n');
  for (let i = 0; i < ORDERS; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const at = `2025-05-${day} ${String(i % 24).padStart(2, '0')}:00:00 -0400`;
    const ok = out.write(
      `#B${i + 1},paid,USD,30.00,${at},1,The Salt Road,10.00,${8_000_000_000 + i}\n#B${i + 1},,,,${at},2,Lanterns of Kelp,10.00,\n`,
    );
    if (!ok) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
