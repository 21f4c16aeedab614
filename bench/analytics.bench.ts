import type { AppConfig } from '../apps/api/src/config/app-config';
import { Agent } from 'node:http';
import { DataSource } from 'typeorm';
import {
  addDays,
  comparedWithPreviousRange,
  comparedYearOverYear,
  addMonthsToMonthStart,
  addWallClockDays,
  customRange,
  lastDays,
  lastMonthSamePoint,
  lastWeekSamePoint,
  localDate,
  monthSoFar,
  previousRange,
  startOfIsoWeek,
  TimeWindow,
  todaySoFar,
  weekSoFar,
  yesterdayFullDay,
  yesterdaySameTime,
} from '@mt/periods';
import { ComparisonService } from '../apps/api/src/comparison/comparison.service';
import { foldAfterBulkLoad, seedDemoData } from '../apps/api/src/demo/demo-seed';
import { countedAndConvertible, revenueRefunds } from '../apps/api/src/sales/sales-sql';
import { SalesRepository } from '../apps/api/src/sales/sales.repository';
import { TitlesRepository } from '../apps/api/src/titles/titles.repository';
import {
  BenchContext,
  BenchRow,
  benchToken,
  listenInProcess,
  EndpointCase,
  ENDPOINT_BENCH,
  endpointBenchConfig,
  endpointAgainstSql,
  percentile,
  round,
  timedGet,
} from './bench-kit';
import { cases as titleCases } from './titles.bench';

/**
 * SPEC §9, dashboard endpoints: with 1,000,000 demo orders over two years, each analytics endpoint over
 * HTTP (p50/p95 of sequential requests) against the single hand-written SQL query over the raw tables that
 * answers the same question. Targets: p95 < 20 ms, and p50 within 2× of the SQL's p50.
 * `BENCH_EXPLAIN=1` also prints the plan of every query the API runs.
 */
const { orders: ORDERS, zone: ZONE, requests: REQUESTS, warmup: WARMUP } = ENDPOINT_BENCH;
const SQL_RUNS = 50;

const COUNTED = countedAndConvertible();
/** FROM … WHERE of the refunds that lower revenue in [from, to), on their own date. */
function refundsIn(from: string, to: string): string {
  return `FROM ${revenueRefunds('refund_date', from, to)}`;
}
/** Window totals straight from orders and refunds (refunds on their own date). */
const WINDOWS_SQL = `
  SELECT w.i, s.orders, round(s.sales - coalesce(r.refunds, 0), 2) AS revenue
  FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w (f, t, i)
  CROSS JOIN LATERAL (SELECT count(*) AS orders, coalesce(sum(o.base_total), 0) AS sales FROM orders o
                      WHERE ${COUNTED} AND o.created_at >= w.f AND o.created_at < w.t) s
  CROSS JOIN LATERAL (SELECT sum(rr.base_amount) AS refunds ${refundsIn('w.f', 'w.t')}) r`;

/** Per local day/week/month of the zone, empty periods included. */
function seriesSql(unit: 'day' | 'week' | 'month'): string {
  return `
    WITH o AS (
      SELECT date_trunc('${unit}', o.created_at AT TIME ZONE $3) AS bucket, count(*) AS orders, sum(o.base_total) AS sales
      FROM orders o WHERE ${COUNTED} AND o.created_at >= $1 AND o.created_at < $2 GROUP BY 1
    ), r AS (
      SELECT date_trunc('${unit}', rr.at AT TIME ZONE $3) AS bucket, sum(rr.base_amount) AS refunds
      ${refundsIn('$1', '$2')} GROUP BY 1
    )
    SELECT b AS bucket, coalesce(o.orders, 0) AS orders, round(coalesce(o.sales, 0) - coalesce(r.refunds, 0), 2) AS revenue
    FROM generate_series(($1::timestamptz AT TIME ZONE $3), ($2::timestamptz AT TIME ZONE $3), interval '1 ${unit}') AS b
    LEFT JOIN o ON o.bucket = b LEFT JOIN r ON r.bucket = b ORDER BY b`;
}

/** Per country or platform in [$3, $4) and in its comparison [$1, $2), as the endpoints answer now. */
function groupedSql(key: 'country' | 'platform', limit: boolean): string {
  const inWindows = (at: string) => `((${at} >= $1 AND ${at} < $2) OR (${at} >= $3 AND ${at} < $4))`;
  return `
    WITH s AS (SELECT o.${key} AS key, count(*) FILTER (WHERE o.created_at >= $3) AS orders,
                 sum(o.base_total) FILTER (WHERE o.created_at >= $3) AS sales,
                 count(*) FILTER (WHERE o.created_at < $2) AS p_orders,
                 sum(o.base_total) FILTER (WHERE o.created_at < $2) AS p_sales
               FROM orders o WHERE ${COUNTED} AND ${inWindows('o.created_at')} GROUP BY 1),
    r AS (SELECT rr.${key} AS key, sum(rr.base_amount) FILTER (WHERE rr.at >= $3) AS refunds,
            sum(rr.base_amount) FILTER (WHERE rr.at < $2) AS p_refunds
          ${refundsIn('$1', '$4')} WHERE ${inWindows('rr.at')} GROUP BY 1)
    SELECT s.key, s.orders, round(coalesce(s.sales, 0) - coalesce(r.refunds, 0), 2) AS revenue,
      s.p_orders, round(coalesce(s.p_sales, 0) - coalesce(r.p_refunds, 0), 2) AS p_revenue
    FROM s LEFT JOIN r ON r.key IS NOT DISTINCT FROM s.key
    ORDER BY s.orders DESC, revenue DESC ${limit ? 'LIMIT 10' : ''}`;
}

/** A day's hours and the day before's, with running sums, straight from orders and refunds. */
const HOURLY_SQL = `
  WITH h AS (
    SELECT w.i, w.f, w.t, w.g, s.sales - coalesce(r.refunds, 0) AS revenue, s.orders
    FROM unnest($1::timestamptz[], $2::timestamptz[], $3::int[]) WITH ORDINALITY AS w (f, t, g, i)
    CROSS JOIN LATERAL (SELECT count(*) AS orders, coalesce(sum(o.base_total), 0) AS sales FROM orders o
                        WHERE ${COUNTED} AND o.created_at >= w.f AND o.created_at < w.t) s
    CROSS JOIN LATERAL (SELECT sum(rr.base_amount) AS refunds ${refundsIn('w.f', 'w.t')}) r
  )
  SELECT i, orders, round(revenue, 2), round(sum(revenue) OVER (PARTITION BY g ORDER BY i), 2) FROM h ORDER BY i`;

/** The hour windows of today so far and of yesterday, as /api/growth/hourly asks for them. */
function hourly(now: Date): unknown[] {
  const today = customRange(localDate(now, ZONE), localDate(now, ZONE), ZONE);
  const yesterday = customRange(addDays(localDate(now, ZONE), -1), addDays(localDate(now, ZONE), -1), ZONE);
  const hours: Array<[Date, Date, number]> = [];
  for (const [group, day, end] of [
    [0, today, now],
    [1, yesterday, yesterday.to],
  ] as const) {
    for (let at = day.from.getTime(); at < end.getTime(); at += 3_600_000) {
      hours.push([new Date(at), new Date(Math.min(at + 3_600_000, end.getTime())), group]);
    }
  }
  return [hours.map((h) => h[0]), hours.map((h) => h[1]), hours.map((h) => h[2])];
}

interface Case {
  path: string;
  sql: string;
  params: unknown[];
}

function cases(now: Date): Case[] {
  const today = localDate(now, ZONE);
  const windows = (list: TimeWindow[]): unknown[] => [list.map((w) => w.from), list.map((w) => w.to)];
  const rangeFrom = addDays(today, -60);
  const rangeTo = addDays(today, -1);
  const range = customRange(rangeFrom, rangeTo, ZONE);
  const yoyFrom = addDays(today, -29);
  const yoy = comparedYearOverYear(customRange(yoyFrom, today, ZONE), now, ZONE);
  const last30 = lastDays(now, ZONE, 30);
  const yesterday = yesterdayFullDay(now, ZONE);
  const monday = startOfIsoWeek(today);
  const monthStart = addMonthsToMonthStart(today, 0);
  const start = (date: string) => customRange(date, date, ZONE).from;
  const compared = comparedWithPreviousRange(customRange(addDays(today, -29), today, ZONE), now, ZONE);
  const last30Compared = [compared.previous.from, compared.previous.to, compared.current.from, compared.current.to];
  return [
    {
      path: '/api/comparison/today-vs-yesterday',
      sql: WINDOWS_SQL,
      params: windows([todaySoFar(now, ZONE), yesterdaySameTime(now, ZONE), yesterday]),
    },
    {
      path: '/api/comparison/week-vs-lastweek',
      sql: WINDOWS_SQL,
      params: windows([weekSoFar(now, ZONE), lastWeekSamePoint(now, ZONE)]),
    },
    {
      path: '/api/comparison/month-vs-lastmonth',
      sql: WINDOWS_SQL,
      params: windows([monthSoFar(now, ZONE), lastMonthSamePoint(now, ZONE)]),
    },
    {
      path: `/api/comparison/range?from=${rangeFrom}&to=${rangeTo}`,
      sql: WINDOWS_SQL,
      params: windows([range, previousRange(range, ZONE)]),
    },
    {
      path: `/api/comparison/yoy?from=${yoyFrom}&to=${today}`,
      sql: WINDOWS_SQL,
      params: windows([yoy.current, yoy.previous]),
    },
    // The 30 days and the 30 before them (the comparison days), one series over both.
    { path: '/api/growth/daily?days=30', sql: seriesSql('day'), params: [start(addDays(today, -60)), now, ZONE] },
    { path: '/api/growth/hourly', sql: HOURLY_SQL, params: hourly(now) },
    { path: '/api/growth/weekly?weeks=12', sql: seriesSql('week'), params: [start(addDays(monday, -84)), now, ZONE] },
    {
      path: '/api/growth/monthly?months=12',
      sql: seriesSql('month'),
      params: [start(addMonthsToMonthStart(monthStart, -12)), now, ZONE],
    },
    { path: '/api/countries?days=30&limit=10', sql: groupedSql('country', true), params: last30Compared },
    { path: '/api/revenue/platforms?days=30', sql: groupedSql('platform', false), params: last30Compared },
    {
      path: '/api/metrics/summary',
      sql: WINDOWS_SQL,
      params: windows([
        todaySoFar(now, ZONE),
        yesterdaySameTime(now, ZONE),
        yesterday,
        previousRange(yesterday, ZONE),
        weekSoFar(now, ZONE),
        lastWeekSamePoint(now, ZONE),
        monthSoFar(now, ZONE),
        lastMonthSamePoint(now, ZONE),
        last30,
        { from: addWallClockDays(last30.from, -30, ZONE), to: addWallClockDays(last30.to, -30, ZONE) },
      ]),
    },
  ];
}

export default function analyticsBench(ctx: BenchContext): Promise<BenchRow[]> {
  return analyticsAt(ctx, { orders: ORDERS, p95TargetMs: 20, database: 'bench_analytics' });
}

/**
 * The endpoints at `orders` demo orders (bench/scale.bench.ts: 10,000,000 and < 50 ms); `titles`: the
 * titles endpoints of bench/titles.bench.ts too, on the same database.
 */
export async function analyticsAt(
  ctx: BenchContext,
  scale: { orders: number; p95TargetMs: number; database: string; titles?: boolean },
): Promise<BenchRow[]> {
  const { url, dataSource } = await ctx.createDatabase(scale.database);
  const now = new Date();
  let started = Date.now();
  const seeded = await seedDemoData(dataSource, { orders: scale.orders, baseCurrency: 'USD', now, timeZone: ZONE });
  const seedSeconds = (Date.now() - started) / 1000;
  ctx.log(`seeded ${seeded?.orders} orders, ${seeded?.refunds} refunds in ${seedSeconds.toFixed(1)} s`);
  started = Date.now();
  const folded = await foldAfterBulkLoad(dataSource, ZONE);
  const foldSeconds = (Date.now() - started) / 1000;
  ctx.log(`folded ${folded} hours into the rollups in ${foldSeconds.toFixed(1)} s`);
  const bulk: BenchRow[] = [
    {
      metric: `demo seed of ${scale.orders} orders`,
      value: round(seedSeconds, 1),
      unit: 's',
      target: 'measured',
      ok: true,
    },
    {
      metric: `rollup fold after seeding ${scale.orders} orders`,
      value: round(foldSeconds, 1),
      unit: 's',
      target: 'measured',
      ok: true,
      note: `${folded} hours, statistics refreshed first (demo:seed does the same)`,
    },
  ];
  // Index-only scans need the visibility map; a live database gets it from autovacuum.
  await dataSource.query(
    `VACUUM ANALYZE orders, refunds, order_hourly_totals, order_hourly_dirty, order_daily_breakdown`,
  );

  const config = endpointBenchConfig(url);
  if (process.env.BENCH_EXPLAIN) await explainApiQueries(dataSource, config, now, ctx);

  const { app, port } = await listenInProcess(config);
  const endpoints: EndpointCase[] = cases(now).map((c) => ({ ...c, name: c.path.replace(/\?.*$/, '') }));
  if (scale.titles) {
    started = Date.now();
    await app.get(TitlesRepository).refreshRollups();
    const titleFoldSeconds = (Date.now() - started) / 1000;
    ctx.log(`folded the title rollups in ${titleFoldSeconds.toFixed(1)} s`);
    bulk.push({
      metric: `title rollup fold after seeding ${scale.orders} orders`,
      value: round(titleFoldSeconds, 1),
      unit: 's',
      target: 'measured',
      ok: true,
    });
    await dataSource.query(`VACUUM ANALYZE`);
    const [{ id: titleId }]: Array<{ id: string }> = await dataSource.query(
      `SELECT title_id::text AS id FROM title_daily_totals WHERE title_id <> 0 GROUP BY 1 ORDER BY sum(orders) DESC LIMIT 1`,
    );
    endpoints.push(...titleCases(now, titleId));
  }
  const token = await benchToken(app, dataSource, 'bench-viewer@bench.local', 'viewer');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const rows: BenchRow[] = [...bulk];
  try {
    // The floor under every ratio: an authenticated request that does no analytics at all.
    const floor: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) floor.push(await timedGet(agent, port, token, '/api/auth/me'));
    const floorP50 = percentile(floor.slice(WARMUP), 50);
    ctx.log(`/api/auth/me (HTTP + authentication only): p50 ${floorP50.toFixed(2)} ms`);
    rows.push({
      metric: 'HTTP + auth floor (/api/auth/me) p50',
      value: round(floorP50),
      unit: 'ms',
      target: '',
      ok: true,
      note: 'included in every API figure',
    });
    for (const c of endpoints) {
      rows.push(
        ...(await endpointAgainstSql(ctx, { agent, port, token }, dataSource, c, {
          warmup: WARMUP,
          requests: REQUESTS,
          sqlRuns: SQL_RUNS,
          p95TargetMs: scale.p95TargetMs,
          sqlNote: 'hand-written query',
        })),
      );
    }
  } finally {
    agent.destroy();
    await app.close();
  }
  return rows;
}

/** Runs each service method once through a data source that prints EXPLAIN ANALYZE of every query. */
async function explainApiQueries(
  dataSource: DataSource,
  config: AppConfig,
  now: Date,
  ctx: BenchContext,
): Promise<void> {
  const explaining = {
    async query(sql: string, params?: unknown[]) {
      const plan: Array<{ 'QUERY PLAN': string }> = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      ctx.log(plan.map((line) => line['QUERY PLAN']).join('\n  '));
      return dataSource.query(sql, params);
    },
  } as unknown as DataSource;
  const service = new ComparisonService(new SalesRepository(explaining, config, explaining), config);
  const today = localDate(now, ZONE);
  const calls: Array<[string, () => Promise<unknown>]> = [
    ['month-vs-lastmonth', () => service.monthVsLastMonth(now)],
    ['growth/daily', () => service.dailyGrowth(now, { days: 30, compare: 'previous' })],
    ['growth/hourly', () => service.hourlyGrowth(now, undefined, 'previous')],
    ['growth/monthly', () => service.monthlyGrowth(now, 12)],
    ['countries', () => service.countries(now, { days: 30, compare: 'previous' }, 10, 'orders')],
    ['platforms', () => service.platforms(now, { days: 30, compare: 'previous' })],
    ['metrics/summary', () => service.metricsSummary(now, { compare: 'previous' })],
    ['yoy', () => service.yearOverYear(now, addDays(today, -29), today)],
  ];
  for (const [name, call] of calls) {
    ctx.log(`EXPLAIN ${name}`);
    await call();
  }
}
