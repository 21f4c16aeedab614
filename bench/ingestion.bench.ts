import { request } from 'node:http';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import { signHmacSha256 } from '../apps/api/src/orders/webhooks/webhook-signature';
import { BenchContext, BenchRow, round } from './bench-kit';

const SECRET = 'bench-shopify-secret';
const SHOP = 'bench-shop.myshopify.com';
const UNIQUE_DELIVERIES = 7000;
const DUPLICATES = 3000;
const PARALLEL = 64;
const IMPORT_ORDERS = Number(process.env.BENCH_IMPORT_ORDERS ?? 20_000);

/**
 * Signed Shopify webhooks per second through the real HTTP stack (the sample 11 kB order with two or
 * three line items, 2.5 on average, 30 % of the deliveries re-sent), then exact counts of orders and
 * lines to prove none was lost or doubled; and backfill rows per second for a Shopify export of 20,000
 * orders (two or three line-item rows each) posted to /api/import/orders.
 */
export default async function ingestionBench(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await ctx.createDatabase('mtink_bench_ingestion');
  // Only errors are logged: at info every delivery is a JSON line, and the 401 run below is 5,000 warnings;
  // writing them to the terminal would be measured instead of ingestion (LOG_LEVEL=info shows them).
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    DEMO_DATA: 'false',
    SHOPIFY_WEBHOOK_SECRET: SECRET,
    UPLOAD_MAX_MB: '200',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const rows: BenchRow[] = [];
  try {
    const sample = JSON.parse(
      readFileSync(
        join(__dirname, '..', 'apps', 'api', 'src', 'orders', 'fixtures', 'shopify-orders-create.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const sampleLines = sample['line_items'] as Array<Record<string, unknown>>;
    // A third line on every other order (a free bookmark), so the orders carry 2.5 lines on average.
    const bookmark = { ...sampleLines[0], id: 15893047190001, title: 'Bookmark', variant_title: null, sku: 'BM-001' };
    const linesOf = (i: number) =>
      i % 2 ? [...sampleLines, { ...bookmark, price: '0.00', discount_allocations: [] }] : sampleLines;
    const deliveries = Array.from({ length: UNIQUE_DELIVERIES }, (_, i) => {
      const body = JSON.stringify({ ...sample, id: 7_000_000_000_000 + i, name: `#B${i}`, line_items: linesOf(i) });
      return {
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Shopify-Topic': 'orders/create',
          'X-Shopify-Shop-Domain': SHOP,
          'X-Shopify-Webhook-Id': `bench-${i}`,
          'X-Shopify-Hmac-Sha256': signHmacSha256(body, SECRET),
          'Content-Length': String(Buffer.byteLength(body)),
        },
      };
    });
    const all = [
      ...deliveries,
      ...Array.from({ length: DUPLICATES }, (_, i) => deliveries[(i * 7919) % UNIQUE_DELIVERIES]!),
    ];
    for (let i = all.length - 1; i > 0; i--) {
      const j = (i * 48271) % (i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }

    // Warm-up: JIT, connection pool, first plans.
    await fire(port, all.slice(0, 200), PARALLEL);
    await db.dataSource.query('TRUNCATE orders, refunds, webhook_deliveries, order_lines CASCADE');

    const started = process.hrtime.bigint();
    const statuses = await fire(port, all, PARALLEL);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const [counts] = await db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM webhook_deliveries) AS deliveries,
              (SELECT sum(total)::text FROM orders) AS total, (SELECT count(*)::int FROM order_lines) AS lines`,
    );
    const failed = statuses.filter((s) => s !== 200).length;
    const expectedLines = Array.from({ length: UNIQUE_DELIVERIES }, (_, i) => linesOf(i).length).reduce(
      (a, b) => a + b,
      0,
    );
    const exact =
      counts.orders === UNIQUE_DELIVERIES &&
      counts.lines === expectedLines &&
      counts.deliveries === UNIQUE_DELIVERIES &&
      counts.total === `${(86 * UNIQUE_DELIVERIES).toFixed(2)}` &&
      failed === 0;
    const perSecond = round(all.length / seconds, 0);
    ctx.log(
      `webhooks: ${all.length} in ${round(seconds)} s, ${counts.orders} orders and ${counts.lines} lines stored, ${failed} non-200`,
    );
    rows.push({
      metric: 'signed webhooks/s (2.5 lines/order, 30 % duplicates, 64 parallel)',
      value: perSecond,
      unit: '/s',
      target: '≥ 1000',
      ok: perSecond >= 1000,
    });
    // The same requests with a wrong signature never reach the database: the ceiling of the HTTP stack here.
    const rejected = all
      .slice(0, 5000)
      .map((d) => ({ body: d.body, headers: { ...d.headers, 'X-Shopify-Hmac-Sha256': 'AAAA' } }));
    const rejectStarted = process.hrtime.bigint();
    const rejectStatuses = await fire(port, rejected, PARALLEL);
    const rejectPerSecond = round(rejected.length / (Number(process.hrtime.bigint() - rejectStarted) / 1e9), 0);
    rows.push({
      metric: 'rejected (401) webhooks/s, no database: HTTP ceiling',
      value: rejectPerSecond,
      unit: '/s',
      target: 'context',
      ok: rejectStatuses.every((s) => s === 401),
    });
    rows.push({
      metric: 'webhooks lost or doubled',
      value: exact ? 0 : Math.abs(counts.orders - UNIQUE_DELIVERIES) + failed,
      unit: '',
      target: '0',
      ok: exact,
    });

    const [admin] = await db.dataSource.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('bench@bench.local', 'Bench', 'admin', 'x') RETURNING id::text AS id`,
    );
    const token = (await app.get(AuthService).createToken('bench', admin.id, null))!.secret;
    const csv = shopifyExport(IMPORT_ORDERS);
    const importStarted = process.hrtime.bigint();
    const report = await multipart(port, csv, token);
    const importSeconds = Number(process.hrtime.bigint() - importStarted) / 1e9;
    const file = (JSON.parse(report) as { files: Array<{ rows: number; inserted: number; errors: unknown[] }> })
      .files[0]!;
    const rowsPerSecond = round(file.rows / importSeconds, 0);
    const [imported] = await db.dataSource.query(
      `SELECT count(*)::int AS lines FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.order_number LIKE '#C%'`,
    );
    ctx.log(
      `import: ${file.rows} rows, ${file.inserted} orders, ${imported.lines} lines in ${round(importSeconds)} s, ${file.errors.length} errors`,
    );
    rows.push({
      metric: 'backfill import rows/s (Shopify CSV, one row per line, 2.5 lines/order)',
      value: rowsPerSecond,
      unit: 'rows/s',
      target: 'measured',
      ok: file.inserted === IMPORT_ORDERS && file.errors.length === 0 && imported.lines === file.rows,
      note: `${file.rows} rows, ${file.inserted} orders, ${imported.lines} lines`,
    });
  } finally {
    await app.close();
  }
  return rows;
}

/**
 * The load runs on a worker thread so that building and sending requests does not take the event loop
 * of the app being measured; deliveries are sent over 64 keep-alive connections.
 */
function fire(
  port: number,
  deliveries: Array<{ body: string; headers: Record<string, string> }>,
  parallel: number,
): Promise<number[]> {
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { port, deliveries, parallel } });
  return new Promise((resolve, reject) => {
    worker.once('message', (statuses: number[]) => resolve(statuses));
    worker.once('error', reject);
  }).finally(() => worker.terminate()) as Promise<number[]>;
}

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { port, deliveries, parallel } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: parallel });
const statuses = [];
let next = 0;
const send = (delivery) => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, path: '/api/webhooks/shopify', method: 'POST', agent, headers: delivery.headers }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', reject);
  req.end(delivery.body);
});
const worker = async () => { while (next < deliveries.length) statuses.push(await send(deliveries[next++])); };
Promise.all(Array.from({ length: parallel }, worker)).then(() => { agent.destroy(); parentPort.postMessage(statuses); });
`;

function shopifyExport(orders: number): string {
  const header =
    'Name,Email,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Country,Shipping Zip,Cancelled at,Refunded Amount,Id';
  const lines = [header];
  for (let i = 0; i < orders; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      `#C${i},b${i}@example.com,paid,USD,40.00,5.00,0.00,45.00,2025-03-${day} 10:00:00 -0500,1,Book,40.00,US,'0${i % 10000},,0.00,${8_000_000_000_000 + i}`,
    );
    lines.push(`#C${i},b${i}@example.com,,,,,,,2025-03-${day} 10:00:00 -0500,1,Bookmark,0.00,,,,,`);
    if (i % 2) lines.push(`#C${i},b${i}@example.com,,,,,,,2025-03-${day} 10:00:00 -0500,2,Postcard,0.00,,,,,`);
  }
  return `\uFEFF${lines.join('\n')}\n`;
}

function multipart(port: number, csv: string, token: string): Promise<string> {
  const boundary = `----bench${Date.now()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="orders_export.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/import/orders',
        method: 'POST',
        headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': body.length,
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`import answered ${res.statusCode}: ${text.slice(0, 200)}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
