import { createWriteStream, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { shopifyOrder } from '../apps/api/src/orders/fixtures/webhook-fixtures';
import { apiBuild, apiBuildNote, BenchContext, BenchRow, round } from './bench-kit';
import { runImport } from './spotify.bench';

/** 1,000,000 rows: orders of two line rows each. */
const ORDERS = 500_000;
/** Shopify REST orders of about 8 kB each (the webhook sample) in one JSON answer: about 32 MB. */
const JSON_ORDERS = 4_000;
/** An Etsy Sold Orders file and its Sold Order Items file of two items per order. */
const PAIR_ORDERS = 50_000;

/**
 * SPEC §9 / issue 12: a 1,000,000-row Shopify orders export, a 45 MB JSON answer and an Etsy Sold
 * Orders + Sold Order Items pair imported through the upload service in a child process each (its peak
 * RSS is the honest figure; the compiled API as npm start runs it, or through ts-node with
 * BENCH_API=ts-node, see apiChild): streamed, memory bounded as for Spotify uploads.
 */
export default async function orderImportBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url } = await ctx.createDatabase('bench_order_import');
  const csv = join(tmpdir(), `mtink-bench-orders-${process.pid}.csv`);
  try {
    return [...(await csvImport(ctx, url, csv)), ...(await jsonImport(ctx, url)), ...(await pairImport(ctx, url))];
  } finally {
    rmSync(csv, { force: true });
  }
}

async function csvImport(ctx: BenchContext, url: string, csv: string): Promise<BenchRow[]> {
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
      note: `whole child process, ${apiBuildNote(apiBuild())}; ${round(child.baselineRssMb, 0)} MB before the import started; load average ${loadavg()[0]!.toFixed(1)}`,
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
}

async function jsonImport(ctx: BenchContext, url: string): Promise<BenchRow[]> {
  const path = join(tmpdir(), `mtink-bench-orders-${process.pid}.json`);
  try {
    const out = createWriteStream(path);
    out.write('{"orders": [');
    for (let i = 0; i < JSON_ORDERS; i++) {
      const order = JSON.stringify(shopifyOrder({ id: 7_100_000_000_000 + i, name: `#JB${i + 1}` }));
      if (!out.write(`${i ? ',\n' : ''}${order}`)) await once(out, 'drain');
    }
    out.end(']}');
    await once(out, 'finish');
    const megabytes = statSync(path).size / 1048576;
    const child = await runImport(url, path);
    ctx.log(`JSON import: ${JSON.stringify(child)}`);
    const imported = child.status === 'imported' && child.inserted === JSON_ORDERS;
    return [
      peakRow(
        `${round(megabytes, 0)} MB JSON answer (${JSON_ORDERS.toLocaleString('en-US')} Shopify orders) import peak RSS`,
        child,
        imported,
      ),
    ];
  } finally {
    rmSync(path, { force: true });
  }
}

async function pairImport(ctx: BenchContext, url: string): Promise<BenchRow[]> {
  const orders = join(tmpdir(), `mtink-bench-EtsySoldOrders-${process.pid}.csv`);
  const items = join(tmpdir(), `mtink-bench-EtsySoldOrderItems-${process.pid}.csv`);
  try {
    const id = (i: number) => String(6_000_000_000 + i);
    await writeLines(orders, 'Sale Date,Order ID,Ship Country,Currency,Order Total,Status', (i) =>
      i < PAIR_ORDERS ? `05/14/25,${id(i)},United Kingdom,GBP,20.00,Completed\n` : null,
    );
    // Each order's two items far apart: all first items, then all second items.
    await writeLines(
      items,
      'Sale Date,Order ID,Item Name,Transaction ID,Quantity,Price,Currency,Date Paid,Ship Country',
      (i) =>
        i < 2 * PAIR_ORDERS
          ? `05/14/25,${id(i % PAIR_ORDERS)},Item ${i < PAIR_ORDERS ? 'one' : 'two'},${7_000_000_000 + i},1,10.00,GBP,05/14/25,United Kingdom\n`
          : null,
    );
    const child = await runImport(url, [orders, items], 3_600_000);
    ctx.log(`Etsy pair import: ${JSON.stringify(child)}`);
    const [sold, soldItems] = child.files;
    const imported =
      sold?.status === 'imported' &&
      sold.inserted === PAIR_ORDERS &&
      soldItems?.status === 'imported' &&
      soldItems.rows === 2 * PAIR_ORDERS;
    return [
      peakRow(
        `Etsy Sold Orders + Items pair (${(3 * PAIR_ORDERS).toLocaleString('en-US')} rows) import peak RSS`,
        child,
        imported,
      ),
    ];
  } finally {
    rmSync(orders, { force: true });
    rmSync(items, { force: true });
  }
}

function peakRow(metric: string, child: Awaited<ReturnType<typeof runImport>>, imported: boolean): BenchRow {
  const peak = Math.max(child.maxRssMb, child.sampledPeakRssMb);
  return {
    metric,
    value: round(peak, 0),
    unit: 'MB',
    target: '< 300',
    ok: imported && peak < 300,
    note: imported
      ? `whole child process, ${apiBuildNote(apiBuild())}; ${round(child.baselineRssMb, 0)} MB before the import started; ${round(child.seconds, 1)} s; event loop p99 ${child.eventLoop.p99Ms} ms, max ${child.eventLoop.maxMs} ms; load average ${loadavg()[0]!.toFixed(1)}`
      : `NOT imported: ${JSON.stringify(child.files)} ${JSON.stringify(child.errors)}`,
  };
}

/** A CSV file: its header, then `line(i)` for i = 0, 1, … until it gives null. */
async function writeLines(path: string, header: string, line: (i: number) => string | null): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; ; i++) {
    const text = line(i);
    if (text === null) break;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeShopifyExport(path: string): Promise<void> {
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
