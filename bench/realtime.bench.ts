import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../apps/api/src/config/app-config';
import {
  moneySet,
  shopifyDelivery,
  shopifyOrder,
  SHOPIFY_SECRET,
} from '../apps/api/src/orders/fixtures/webhook-fixtures';
import { BenchContext, BenchRow, benchToken, listenInProcess, percentile, round } from './bench-kit';

/**
 * SPEC §9, live: a signed Shopify order webhook → `order.created` on 1,000 connected Socket.IO clients.
 * The clients live in a worker thread (their own event loop, as browsers would be) and stamp each
 * arrival with the shared high-resolution clock; latency = arrival − the moment the webhook was sent.
 * Webhooks go one at a time, each after the previous reached every client, so the figure is delivery
 * latency, not queueing. Target: p99 < 100 ms.
 */
const CLIENTS = 1000;
const WEBHOOKS = 60;
const WARMUP = 5;

/** Plain CommonJS for the worker: connects the clients, reports (webhook index, arrival) per event. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { io } = require(workerData.clientModule);
const sockets = [];
let pending = workerData.clients;
const arrivals = new Map();
function record(index) {
  const at = performance.timeOrigin + performance.now();
  let list = arrivals.get(index);
  if (!list) arrivals.set(index, (list = []));
  list.push(at);
  if (list.length === workerData.clients) { parentPort.postMessage({ type: 'event', index, arrivals: list }); arrivals.delete(index); }
}
function open(i) {
  const socket = io(workerData.url, { path: '/ws', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: workerData.token } });
  socket.on('order.created', (payload) => record(Math.round(payload.amount) - 1000));
  socket.once('connect', () => { if (--pending === 0) parentPort.postMessage({ type: 'ready' }); });
  socket.once('connect_error', (error) => parentPort.postMessage({ type: 'error', message: error.message }));
  sockets.push(socket);
}
(async () => {
  for (let i = 0; i < workerData.clients; i++) {
    open(i);
    if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
  }
})();
parentPort.on('message', (message) => { if (message === 'close') { sockets.forEach((s) => s.disconnect()); parentPort.close(); } });
`;

export default async function realtimeBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url, dataSource } = await ctx.createDatabase('mtink_bench_realtime');
  const config = loadConfig({
    DATABASE_URL: url,
    DEMO_DATA: 'false',
    NODE_ENV: 'production',
    SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET,
  });
  const { app, port } = await listenInProcess(config);
  const token = await benchToken(app, dataSource, 'bench-realtime@bench.local', 'viewer');

  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      url: `http://127.0.0.1:${port}`,
      token,
      clients: CLIENTS,
      clientModule: require.resolve('socket.io-client'),
    },
  });
  const waiters = new Map<number, (arrivals: number[]) => void>();
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: { type: string; index?: number; arrivals?: number[]; message?: string }) => {
      if (message.type === 'ready') resolve();
      if (message.type === 'error') reject(new Error(`client refused: ${message.message}`));
      if (message.type === 'event') waiters.get(message.index!)?.(message.arrivals!);
    });
    worker.once('error', reject);
  });
  const connectStarted = performance.now();
  const latencies: number[] = [];
  let lost = 0;
  try {
    await ready;
    ctx.log(`${CLIENTS} clients connected in ${Math.round(performance.now() - connectStarted)} ms`);
    for (let i = 0; i < WARMUP + WEBHOOKS; i++) {
      const delivery = shopifyDelivery(
        shopifyOrder({
          id: 880000000 + i,
          name: `#B${i}`,
          total_price: `${1000 + i}.00`,
          total_price_set: moneySet(`${1000 + i}.00`),
        }),
      );
      const arrived = new Promise<number[] | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000);
        waiters.set(i, (arrivals) => {
          clearTimeout(timer);
          resolve(arrivals);
        });
      });
      const sent = performance.timeOrigin + performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/webhooks/shopify`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      const arrivals = await arrived;
      waiters.delete(i);
      if (!arrivals) {
        lost++;
        continue;
      }
      if (i >= WARMUP) for (const at of arrivals) latencies.push(at - sent);
    }
  } finally {
    worker.postMessage('close');
    await worker.terminate();
    await app.close();
  }
  const p50 = round(percentile(latencies, 50));
  const p99 = round(percentile(latencies, 99));
  ctx.log(`${latencies.length} deliveries measured; max ${round(Math.max(...latencies))} ms`);
  return [
    {
      metric: `live: webhook → socket client p50, ${CLIENTS} connected clients`,
      value: p50,
      unit: 'ms',
      target: '—',
      ok: true,
    },
    {
      metric: `live: webhook → socket client p99, ${CLIENTS} connected clients`,
      value: p99,
      unit: 'ms',
      target: '< 100',
      ok: p99 < 100,
    },
    {
      metric: 'live: webhooks not delivered to every client within 5 s',
      value: lost,
      unit: '',
      target: '0',
      ok: lost === 0,
    },
  ];
}
