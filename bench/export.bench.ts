import { fork } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import type { DataSource } from 'typeorm';
import { loadavg } from 'node:os';
import { apiBuild, ApiBuild, apiBuildNote, apiChild, BenchContext, BenchRow, round } from './bench-kit';

/**
 * Issue 8: the whole of 1,000,000 orders (two years) exported as CSV and as XLSX over HTTP, from the API
 * running in a child process so that its RSS is the honest figure: the compiled API, as npm start and the
 * Docker image run it (BENCH_API=ts-node measures it through ts-node instead, see apiChild). Streaming
 * means the server's memory stays flat: the peak is compared with its idle RSS, whatever the size of the
 * download.
 */
const ORDERS = 1_000_000;
const PEAK_TARGET_MB = 300;
/** Far below the 120 MB of CSV a 1M-order export makes, and about twice the idle API's live heap. */
const HEAP_CAP_MB = 128;

interface ChildMessage {
  port?: number;
  token?: string;
  idleRssMb?: number;
  marked?: number;
  markedHeap?: number;
  peak?: number;
  peakHeap?: number;
  heapAfterGc?: number;
  maxRssMb?: number;
}

export default async function exportBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url, dataSource } = await ctx.createDatabase('bench_export');
  const started = Date.now();
  await seedOrders(dataSource);
  ctx.log(`${ORDERS.toLocaleString('en-US')} orders in ${round((Date.now() - started) / 1000, 1)} s`);

  const rows: BenchRow[] = [];
  // Once as deployed (V8 sizes its heap itself), once with the heap capped well below the size of the
  // download: the capped run can only finish if rows are streamed, not gathered.
  const build = apiBuild();
  for (const heapCapMb of [null, HEAP_CAP_MB]) rows.push(...(await exportWithServer(ctx, url, build, heapCapMb)));
  return rows;
}

/** ORDERS orders over two years, every 97th with a refund. */
export async function seedOrders(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total, country, status)
     SELECT (ARRAY['shopify', 'etsy', 'woocommerce'])[1 + i % 3], '', 'X' || i, '#' || i,
       timestamptz '2024-11-26T00:00:00Z' + i * interval '63 seconds', 'USD', t, t,
       (ARRAY['GB', 'DE', 'US', 'FR', 'NL'])[1 + i % 5], CASE WHEN i % 50 = 0 THEN 'cancelled' ELSE 'paid' END
     FROM generate_series(1, $1::int) AS i, LATERAL (SELECT (5 + (i % 9000) / 100.0)::numeric(14, 2) AS t) x`,
    [ORDERS],
  );
  await dataSource.query(
    `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
     SELECT id, 'R' || id, created_at + interval '2 days', 1.00, 1.00 FROM orders WHERE id % 97 = 0`,
  );
  await dataSource.query(`VACUUM ANALYZE orders`);
  await dataSource.query(`VACUUM ANALYZE refunds`);
}

export async function exportWithServer(
  ctx: BenchContext,
  url: string,
  build: ApiBuild,
  heapCapMb: number | null,
  formats: ReadonlyArray<'csv' | 'xlsx'> = ['csv', 'xlsx'],
): Promise<BenchRow[]> {
  const { script, execArgv } = apiChild('export.child.ts', build);
  // --expose-gc only for the measurement: a collection before it starts and after it ends.
  const child = fork(script, [url], {
    execArgv: [...execArgv, '--expose-gc', ...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const next = async (): Promise<ChildMessage> => {
    const [message] = await Promise.race([
      once(child, 'message'),
      exited.then(([code]) => Promise.reject(new Error(`API process exited with ${code}`))),
    ]);
    return message as ChildMessage;
  };
  const rows: BenchRow[] = [];
  const setting = heapCapMb ? `, heap capped at ${heapCapMb} MB` : '';
  try {
    const { port, token } = await next();
    for (const format of formats) {
      child.send('mark');
      const { marked, markedHeap } = await next();
      const started = Date.now();
      const load = loadavg()[0]!.toFixed(1);
      const download = await fetchAll(
        port!,
        token!,
        `/api/export/orders?from=2024-11-01&to=2026-12-31&format=${format}`,
      );
      const seconds = (Date.now() - started) / 1000;
      child.send('peak');
      const { peak, peakHeap, heapAfterGc } = await next();
      ctx.log(
        `${format}${setting}: ${JSON.stringify({ ...download, seconds, marked, peak, markedHeap, peakHeap, heapAfterGc })}`,
      );
      // CSV: one line per order plus the header; XLSX is compressed, so only its size is shown.
      const complete = download.status === 200 && (format === 'xlsx' || download.lines === ORDERS + 1);
      const name = `export 1M orders ${format.toUpperCase()}${setting}`;
      rows.push(
        {
          metric: `${name}: time`,
          value: round(seconds, 1),
          unit: 's',
          target: 'measured',
          ok: complete,
          note: `${round(download.bytes / 1048576, 0)} MB, ${round(download.bytes / 1048576 / seconds, 1)} MB/s${complete ? '' : `, INCOMPLETE: ${download.status}, ${download.lines} lines`}`,
        },
        {
          metric: `${name}: server peak RSS`,
          value: round(peak!, 0),
          unit: 'MB',
          target: `< ${PEAK_TARGET_MB}`,
          ok: complete && peak! < PEAK_TARGET_MB,
          note: `${apiBuildNote(build)}, sampled every 20 ms: ${round(marked!, 0)} MB at start; V8 heap ${round(markedHeap!, 0)} → peak ${round(peakHeap!, 0)} → ${round(heapAfterGc!, 0)} MB after GC; load average ${load}`,
        },
      );
    }
  } finally {
    child.send('stop');
    await exited;
  }
  return rows;
}

/** Downloads and counts a response without keeping it: the client must not be what holds memory. */
function fetchAll(
  port: number,
  token: string,
  path: string,
): Promise<{ status: number; bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => resolve({ status: res.statusCode!, bytes, lines }));
      res.on('error', reject);
    }).on('error', reject);
  });
}
