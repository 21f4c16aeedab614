import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, IncomingMessage, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  Delivery,
  shopifyDelivery,
  shopifyOrder,
  SHOPIFY_SECRET,
} from '../apps/api/src/orders/fixtures/webhook-fixtures';
import { BenchContext, BenchRow, percentile, round, send, startServer } from './bench-kit';
import { writeWeeklyCsv } from './spotify.bench';

const WEBHOOKS_PER_SECOND = 200;
const SLOW_EXPORTS = 25;
/** How fast a slow export is read: a phone on a bad line. */
const SLOW_READ_BYTES_PER_SECOND = 2048;
const EXPORT_ORDERS = 200_000;
/** The load runs at least this long, and until the upload has finished. */
const MIN_SECONDS = 30;

/**
 * SPEC §9, the noisy neighbour: signed webhooks at 200/s while a 1,000,000-row weekly CSV is uploaded
 * and 25 exports are read at 2 KB/s, against the API in a process of its own. Measured: every
 * webhook's answer time from the moment this client sent it (200s and 503s apart: a 503 is the
 * server's admission control, retried), the server's own event-loop delay (perf_hooks) and health's
 * answer time; then the 503s are retried as a platform would, and each order must be stored once.
 */
export default async function noisyBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url, dataSource } = await ctx.createDatabase('bench_noisy');
  await dataSource.query(
    `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
     SELECT 'etsy', 'E-' || g, now() - g * interval '1 minute', 'USD', 10, 10, 'GB', 'paid' FROM generate_series(1, $1::int) g`,
    [EXPORT_ORDERS],
  );
  const csv = join(tmpdir(), `mtink-noisy-${process.pid}.csv`);
  const monday = new Date();
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7) - 7);
  await writeWeeklyCsv(csv, monday.toISOString().slice(0, 10));
  const server = await startServer(url, 3, { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, UPLOAD_MAX_MB: '200' });
  // A platform sends each delivery when it happens, on a connection of its own if need be: no socket
  // limit, so that no request waits in this process for another's answer (that would be our queue, not
  // the server's). Health is probed as a monitor does, on connections of its own.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const probeAgent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const webhooks = new WebhookLog();
  const healthMs: number[] = [];
  const exports = { running: 0, refused: 0 };
  const slowReaders: IncomingMessage[] = [];
  const loads = new LoadAverages();
  const overflowsBefore = listenOverflows();
  try {
    await server.mark();
    const started = Date.now();
    let stop = false;
    // 25 exports at once from three people: the limits decide how many run; those run are read slowly.
    for (let i = 0; i < SLOW_EXPORTS; i++) {
      void openExport(server.port, server.tokens[i % 3]!).then(({ status, response }) => {
        if (status !== 200) {
          exports.refused++;
          response.resume();
          return;
        }
        exports.running++;
        slowReaders.push(response);
        readSlowly(response);
      });
    }
    const upload = uploadFile(server.port, server.tokens[0]!, csv).then((answer) => {
      ctx.log(
        `upload: ${answer.status} in ${((Date.now() - started) / 1000).toFixed(1)} s ${answer.body.slice(0, 160)}`,
      );
      return answer;
    });
    const sending: Array<Promise<void>> = [];
    const ticker = setInterval(() => {
      // Catch up to the rate, so a late timer does not lower it; how late each send was is kept apart.
      const now = Date.now();
      const due = Math.floor(((now - started) / 1000) * WEBHOOKS_PER_SECOND);
      while (webhooks.sent < due && !stop) {
        const n = webhooks.sent;
        const late = now - (started + (n * 1000) / WEBHOOKS_PER_SECOND);
        sending.push(webhooks.send(n, late, agent, server.port, now - started));
      }
    }, 5);
    const prober = setInterval(() => {
      const t0 = process.hrtime.bigint();
      void send(server.port, probeAgent, '/api/health', {}, null, 'GET').then(() =>
        healthMs.push(Number(process.hrtime.bigint() - t0) / 1e6),
      );
    }, 100);
    const uploaded = await upload;
    while (Date.now() - started < MIN_SECONDS * 1000) await new Promise((resolve) => setTimeout(resolve, 200));
    stop = true;
    clearInterval(ticker);
    clearInterval(prober);
    await Promise.all(sending);
    const report = await server.report();
    const seconds = (Date.now() - started) / 1000;
    const load = loads.stop();
    const overflows = listenOverflows() - overflowsBefore;
    const exact = await webhooks.retryUntilStored(dataSource, (d) =>
      postWebhook(server.port, agent, d).then((answer) => answer.status),
    );
    const answered = [...webhooks.ms(200), ...webhooks.ms(503)];
    const p99 = percentile(answered, 99);
    const healthP99 = percentile(healthMs, 99);
    const others = webhooks.otherStatuses();
    const run = `${round(seconds, 0)} s at ${WEBHOOKS_PER_SECOND}/s: ${webhooks.sent} webhooks sent (${webhooks.count(200)}× 200, ${webhooks.count(503)}× 503${others ? `, ${others}` : ''}) on ${webhooks.connections} connections, sends late p99 ${round(percentile(webhooks.lateMs, 99), 0)} ms; answers ${webhooks.slowAnswers()}; listen queue overflows ${overflows} (whole network namespace); upload ${uploaded.status}, exports ${exports.running} read at 2 KB/s + ${exports.refused} refused (429); ${load}`;
    ctx.log(`noisy neighbour: answers over 1 s by when they were sent: ${webhooks.slowByWindow() || 'none'}`);
    ctx.log(`noisy neighbour: ${run}; server ${JSON.stringify(report)}; after the retries: ${JSON.stringify(exact)}`);
    const latency = (status: number) =>
      `${webhooks.count(status)} answers, p50 ${round(percentile(webhooks.ms(status), 50))} ms, max ${round(Math.max(0, ...webhooks.ms(status)))} ms`;
    return [
      {
        metric: 'noisy neighbour: webhook p99, every answer (200 and 503)',
        value: round(p99),
        unit: 'ms',
        target: '< 1000',
        ok: p99 < 1000 && others === '',
        note: `timed from the client's send; p50 ${round(percentile(answered, 50))} ms; ${run}`,
      },
      {
        metric: 'noisy neighbour: webhook p99 of the 200s (stored)',
        value: round(percentile(webhooks.ms(200), 99)),
        unit: 'ms',
        target: '< 1000',
        ok: percentile(webhooks.ms(200), 99) < 1000,
        note: latency(200),
      },
      {
        metric: 'noisy neighbour: webhook p99 of the 503s (refused, retried)',
        value: round(percentile(webhooks.ms(503), 99)),
        unit: 'ms',
        target: 'measured',
        ok: true,
        note: latency(503),
      },
      {
        metric: 'noisy neighbour: webhook orders missing or stored twice, after the retries',
        value: exact.missing + exact.doubled,
        unit: '',
        target: '0',
        ok: exact.missing + exact.doubled === 0 && exact.answered200NotStored === 0,
        note: `${exact.stored} of ${webhooks.sent} orders stored once, ${exact.deliveries} deliveries recorded; of the 200s during the load ${exact.answered200NotStored} not stored; ${exact.retried} retries in ${exact.rounds} rounds after the load`,
      },
      {
        metric: 'noisy neighbour: event-loop delay p99',
        value: report.eventLoop.p99Ms,
        unit: 'ms',
        target: '< 100',
        ok: report.eventLoop.p99Ms < 100,
        note: `server process, perf_hooks: p50 ${report.eventLoop.p50Ms} ms, max ${report.eventLoop.maxMs} ms (10 ms resolution: p50 ≈ 10 is idle); ${load}`,
      },
      {
        metric: 'noisy neighbour: health p99',
        value: round(healthP99),
        unit: 'ms',
        target: 'measured',
        ok: true,
        note: `p50 ${round(percentile(healthMs, 50))} ms, ${healthMs.length} probes every 100 ms; server peak RSS ${round(report.peakRssMb, 0)} MB`,
      },
    ];
  } finally {
    loads.stop();
    for (const response of slowReaders) response.destroy();
    agent.destroy();
    probeAgent.destroy();
    await server.stop();
    rmSync(csv, { force: true });
  }
}

/** One signed delivery; status 0 and the error's code when no answer came. */
function postWebhook(
  port: number,
  agent: Agent,
  d: Delivery,
): Promise<{ status: number; reused: boolean; failure?: string }> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/webhooks/shopify',
        method: 'POST',
        agent,
        headers: { ...d.headers, 'Content-Length': Buffer.byteLength(d.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, reused: req.reusedSocket, failure: error.code ?? error.message }),
    );
    req.end(d.body);
  });
}

/** TcpExt ListenOverflows of this network namespace: connections the kernel dropped because a listen queue was full. */
function listenOverflows(): number {
  try {
    const [names, values] = readFileSync('/proc/net/netstat', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('TcpExt:'))
      .map((line) => line.split(/\s+/));
    const i = names?.indexOf('ListenOverflows') ?? -1;
    return i > 0 ? Number(values?.[i]) : NaN;
  } catch {
    return NaN;
  }
}
/** Retries after the load: as many at once as a platform's workers might send, and rounds until all are in. */
const RETRY_PARALLEL = 32;
const RETRY_ROUNDS = 20;

/** The n-th delivery of the run, the same bytes and webhook id each time it is built (for the retries). */
function delivery(n: number): Delivery {
  return shopifyDelivery(shopifyOrder({ id: 9_000_000 + n, name: `#N${n}` }), { webhookId: `noisy-${n}` });
}

/**
 * Every webhook of the run: its status and its time from the client's send to the last byte of the
 * answer. Kept per index, not per body (170,000 bodies of 11 kB would be 2 GB), so that the ones not
 * answered 200 can be built again and retried as the platform would.
 */
class WebhookLog {
  sent = 0;
  readonly lateMs: number[] = [];
  private readonly statuses: number[] = [];
  /** Per index: when it was sent (ms since the start of the run) and how long its answer took. */
  private readonly sentAt: number[] = [];
  private readonly tookMs: number[] = [];
  private readonly byStatus = new Map<number, number[]>();

  /** Connections this client opened for the webhooks (a reused keep-alive socket is not one). */
  connections = 0;
  /** Why requests got no answer: error code → count. */
  readonly failures = new Map<string, number>();

  send(n: number, lateMs: number, agent: Agent, port: number, sinceStartMs: number): Promise<void> {
    this.sent = n + 1;
    this.lateMs.push(lateMs);
    this.sentAt[n] = sinceStartMs;
    const t0 = process.hrtime.bigint();
    return postWebhook(port, agent, delivery(n)).then(({ status, reused, failure }) => {
      if (!reused) this.connections++;
      if (failure) this.failures.set(failure, (this.failures.get(failure) ?? 0) + 1);
      this.statuses[n] = status;
      const ms = this.byStatus.get(status) ?? [];
      this.tookMs[n] = Number(process.hrtime.bigint() - t0) / 1e6;
      ms.push(this.tookMs[n]);
      this.byStatus.set(status, ms);
    });
  }

  /** When the slow answers were sent: "20-30 s: 412 of 2000 over 1 s (max 31 s)" per 10 s of the run that had any. */
  slowByWindow(): string {
    const windows = new Map<number, { sent: number; slow: number; maxMs: number }>();
    this.sentAt.forEach((at, n) => {
      const w = windows.get(Math.floor(at / 10_000)) ?? { sent: 0, slow: 0, maxMs: 0 };
      w.sent++;
      if (this.tookMs[n]! > 1000) w.slow++;
      w.maxMs = Math.max(w.maxMs, this.tookMs[n]!);
      windows.set(Math.floor(at / 10_000), w);
    });
    return [...windows]
      .filter(([, w]) => w.slow > 0)
      .map(
        ([i, w]) => `${i * 10}-${i * 10 + 10} s: ${w.slow} of ${w.sent} over 1 s (max ${round(w.maxMs / 1000, 1)} s)`,
      )
      .join('; ');
  }

  /** How the answers (200 and 503) spread beyond the target: "41 over 1 s, 12 over 5 s, 3 over 30 s". */
  slowAnswers(): string {
    const answered = [...this.ms(200), ...this.ms(503)];
    return [1, 5, 30].map((s) => `${answered.filter((ms) => ms > s * 1000).length} over ${s} s`).join(', ');
  }

  ms(status: number): number[] {
    return this.byStatus.get(status) ?? [];
  }

  count(status: number): number {
    return this.ms(status).length;
  }

  /** "3× 500, 2× no answer (ECONNRESET)" for anything but 200 and 503; empty when there is nothing else. */
  otherStatuses(): string {
    const why = [...this.failures].map(([code, n]) => `${n}× ${code}`).join(', ');
    return [...this.byStatus]
      .filter(([status]) => status !== 200 && status !== 503)
      .map(([status, ms]) => `${ms.length}× ${status === 0 ? `no answer (${why})` : status}`)
      .join(', ');
  }

  /**
   * What a platform does with a 503 (or no answer): sends it again, here after the load, until every
   * delivery has had its 200. Then the orders of the run are counted: each must be stored exactly once,
   * and every delivery answered 200 during the load must have been stored by then already.
   */
  async retryUntilStored(
    db: DataSource,
    post: (d: Delivery) => Promise<number>,
  ): Promise<{
    stored: number;
    missing: number;
    doubled: number;
    deliveries: number;
    answered200NotStored: number;
    retried: number;
    rounds: number;
  }> {
    const ok200 = this.statuses.flatMap((status, n) => (status === 200 ? [`noisy-${n}`] : []));
    const [{ notStored }] = (await db.query(
      `SELECT count(*)::int AS "notStored" FROM unnest($1::text[]) AS id
       WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.platform = 'shopify' AND w.delivery_id = id)`,
      [ok200],
    )) as Array<{ notStored: number }>;
    let pending = this.statuses.flatMap((status, n) => (status === 200 ? [] : [n]));
    let retried = 0;
    let rounds = 0;
    while (pending.length && rounds < RETRY_ROUNDS) {
      rounds++;
      const again: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: RETRY_PARALLEL }, async () => {
          while (next < pending.length) {
            const n = pending[next++]!;
            retried++;
            if ((await post(delivery(n))) !== 200) again.push(n);
          }
        }),
      );
      pending = again;
    }
    const [counts] = (await db.query(
      `SELECT (SELECT count(DISTINCT external_id)::int FROM orders WHERE platform = 'shopify') AS stored,
              (SELECT count(*)::int - count(DISTINCT external_id)::int FROM orders WHERE platform = 'shopify') AS doubled,
              (SELECT count(*)::int FROM webhook_deliveries WHERE platform = 'shopify') AS deliveries`,
    )) as Array<{ stored: number; doubled: number; deliveries: number }>;
    return {
      ...counts!,
      missing: this.sent - counts!.stored,
      answered200NotStored: notStored!,
      retried,
      rounds,
    };
  }
}

/** The machine's 1-minute load average at the start, its highest during the run, and at the end. */
class LoadAverages {
  private readonly first = loadavg()[0]!;
  private highest = this.first;
  private last: string | null = null;
  private readonly timer = setInterval(() => (this.highest = Math.max(this.highest, loadavg()[0]!)), 5000);

  stop(): string {
    clearInterval(this.timer);
    this.last ??= `load average ${this.first.toFixed(1)} at the start, up to ${Math.max(this.highest, loadavg()[0]!).toFixed(1)}, ${loadavg()[0]!.toFixed(1)} at the end, on ${cpus().length} cores`;
    return this.last;
  }
}

function openExport(port: number, token: string): Promise<{ status: number; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/export/orders.csv?from=2020-01-01&to=2030-12-31',
        headers: { Authorization: `Bearer ${token}` },
      },
      (response) => resolve({ status: response.statusCode ?? 0, response }),
    )
      .on('error', reject)
      .end();
  });
}

/** Reads 2 KB a second, leaving the rest in the socket: the export waits for this reader. */
function readSlowly(response: IncomingMessage): void {
  response.pause();
  const timer = setInterval(() => {
    if (response.destroyed || response.readableEnded) return clearInterval(timer);
    response.read(SLOW_READ_BYTES_PER_SECOND);
  }, 1000);
  response.on('close', () => clearInterval(timer));
}

/** POST /api/upload as multipart/form-data, the file streamed from disk. */
function uploadFile(port: number, token: string, path: string): Promise<{ status: number; body: string }> {
  const boundary = `----mtink${process.pid}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="weekly.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/upload',
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + statSync(path).size + tail.length,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path);
    file.pipe(req, { end: false });
    file.on('end', () => req.end(tail));
  });
}
