import { Agent } from 'node:http';
import type { DataSource } from 'typeorm';
import { addDays, comparedWithPreviousRange, customRange, localDate, TimeWindow } from '@mt/periods';
import { seedDemoData } from '../apps/api/src/demo/demo-seed';
import { convertedRefund, countedAndConvertible, refundInstant } from '../apps/api/src/sales/sales-sql';
import {
  BenchContext,
  BenchRow,
  benchToken,
  listenInProcess,
  EndpointCase,
  ENDPOINT_BENCH,
  endpointBenchConfig,
  endpointAgainstSql,
  round,
} from './bench-kit';

/**
 * SPEC §9 for the titles endpoints: 1,000,000 demo orders over two years with their ~2,500,000 lines,
 * `GET /api/titles` (month so far, 30 days, a year) and `GET /api/titles/:id` (30 days) over HTTP
 * (p50/p95 of sequential requests), each against the single hand-written SQL query over the raw tables
 * (orders, line shares, refund shares) that answers the same question.
 */
const { orders: ORDERS, zone: ZONE, requests: REQUESTS, warmup: WARMUP } = ENDPOINT_BENCH;
const SQL_RUNS = 20;

const COUNTED = countedAndConvertible();

/** Per window, title and platform: orders, units and revenue, from the lines' shares directly. */
function titlesSql(titleFilter: string, groupByDay: boolean): string {
  const refundAt = refundInstant('refund_date');
  const day = (at: string) => (groupByDay ? `(${at} AT TIME ZONE '${ZONE}')::date` : 'NULL::date');
  return `
    WITH w AS (SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w (f, t, i)),
    s AS (
      SELECT w.i, ${day('o.created_at')} AS day, e.title_id, o.platform, count(DISTINCT o.id) AS orders, sum(t.quantity) AS units,
        sum(t.base_allocated) AS sales
      FROM w JOIN orders o ON o.created_at >= w.f AND o.created_at < w.t
      JOIN order_line_titles t ON t.order_id = o.id JOIN editions e ON e.id = t.edition_id
      WHERE ${COUNTED} ${titleFilter}
      GROUP BY 1, 2, 3, 4
    ),
    r AS (
      SELECT w.i, ${day('r.refunded_at')} AS day, e.title_id, o.platform, sum(a.amount) AS refunds
      FROM w, refunds r JOIN orders o ON o.id = r.order_id
      JOIN refund_line_allocations a ON a.refund_id = r.id
      JOIN order_line_titles t ON t.order_id = a.order_id AND t.position = a.position JOIN editions e ON e.id = t.edition_id
      WHERE ${refundAt} >= w.f AND ${refundAt} < w.t AND ${convertedRefund()} AND ${COUNTED} ${titleFilter}
      GROUP BY 1, 2, 3, 4
    )
    SELECT coalesce(s.i, r.i) AS i, coalesce(s.day, r.day) AS day, coalesce(s.title_id, r.title_id) AS title_id,
      coalesce(s.platform, r.platform) AS platform, coalesce(s.orders, 0) AS orders, coalesce(s.units, 0) AS units,
      round(coalesce(s.sales, 0) - coalesce(r.refunds, 0), 2) AS revenue
    FROM s FULL JOIN r ON r.i = s.i AND r.title_id = s.title_id AND r.platform = s.platform AND r.day IS NOT DISTINCT FROM s.day`;
}

type Case = EndpointCase;

export function cases(now: Date, titleId: string): Case[] {
  const today = localDate(now, ZONE);
  const windows = (from: string) => {
    const { current, previous } = comparedWithPreviousRange(customRange(from, today, ZONE), now, ZONE);
    return [current, previous].reduce<[Date[], Date[]]>(
      ([froms, tos], w: TimeWindow) => [
        [...froms, w.from],
        [...tos, w.to],
      ],
      [[], []],
    );
  };
  const month = `${today.slice(0, 8)}01`;
  const days30 = addDays(today, -29);
  const year = addDays(today, -364);
  return [
    {
      name: 'titles, month so far',
      path: `/api/titles?from=${month}&to=${today}`,
      sql: titlesSql('', false),
      params: windows(month),
    },
    {
      name: 'titles, 30 days',
      path: `/api/titles?from=${days30}&to=${today}`,
      sql: titlesSql('', false),
      params: windows(days30),
    },
    {
      name: 'titles, a year',
      path: `/api/titles?from=${year}&to=${today}`,
      sql: titlesSql('', false),
      params: windows(year),
    },
    {
      name: 'title page, 30 days',
      path: `/api/titles/${titleId}?from=${days30}&to=${today}`,
      sql: titlesSql(`AND e.title_id = ${Number(titleId)}`, true),
      params: windows(days30),
    },
  ];
}

export default async function titlesBench(ctx: BenchContext): Promise<BenchRow[]> {
  const { url, dataSource, reused } = await ctx.createDatabase('bench_titles', { reuse: true });
  const now = new Date();
  const rows: BenchRow[] = [];
  if (reused) ctx.log('reused the database seeded in a run before (BENCH_PG_DIR)');
  else rows.push(...(await seed(ctx, dataSource, now)));
  const config = endpointBenchConfig(url);
  const { app, port } = await listenInProcess(config);
  // A reused database keeps the users of the runs before.
  const token = await benchToken(app, dataSource, `bench-titles-${now.getTime()}@bench.local`, 'viewer');
  const [{ id: titleId }]: Array<{ id: string }> = await dataSource.query(
    `SELECT e.title_id::text AS id FROM order_line_titles t JOIN editions e ON e.id = t.edition_id GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (const c of cases(now, titleId)) {
      rows.push(
        ...(await endpointAgainstSql(ctx, { agent, port, token }, dataSource, c, {
          warmup: WARMUP,
          requests: REQUESTS,
          sqlRuns: SQL_RUNS,
          p95TargetMs: 20,
          sqlNote: 'hand-written query over the lines',
        })),
      );
    }
  } finally {
    agent.destroy();
    await app.close();
  }
  return rows;
}

/** Seeds the demo data up to `now` and folds the rollups; marks the database seeded (see BENCH_PG_DIR). */
async function seed(ctx: BenchContext, dataSource: DataSource, now: Date): Promise<BenchRow[]> {
  let started = Date.now();
  const seeded = await seedDemoData(dataSource, { orders: ORDERS, baseCurrency: 'USD', now, timeZone: ZONE });
  const seedSeconds = (Date.now() - started) / 1000;
  ctx.log(
    `seeded ${seeded?.orders} orders with ${seeded?.lines} lines, ${seeded?.refunds} refunds in ${seedSeconds.toFixed(1)} s`,
  );
  started = Date.now();
  await dataSource.query(`SELECT refresh_order_rollups($1)`, [ZONE]);
  // The seed's bulk load built the title rollups; what is left to fold of them is nothing.
  const [{ hours, days }] = await dataSource.query(
    `SELECT refresh_title_hour_rollups() AS hours, refresh_title_rollups($1) AS days`,
    [ZONE],
  );
  const foldSeconds = (Date.now() - started) / 1000;
  ctx.log(
    `built the order rollups and folded ${hours} hours, ${days} days of title rollups in ${foldSeconds.toFixed(1)} s`,
  );
  await dataSource.query(`VACUUM ANALYZE`);
  await ctx.markSeeded('bench_titles');
  return [
    {
      metric: 'demo seed, 1M orders with lines',
      value: round(seedSeconds, 1),
      unit: 's',
      target: '',
      ok: true,
      note: `${seeded?.lines} lines, title matching, allocation and rollups included`,
    },
    {
      metric: 'rollups folded after the seed',
      value: round(foldSeconds, 1),
      unit: 's',
      target: '',
      ok: true,
      note: 'order rollups; the title rollups come with the seed',
    },
  ];
}
