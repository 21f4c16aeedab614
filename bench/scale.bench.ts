import { analyticsAt } from './analytics.bench';
import { BenchContext, BenchRow, round } from './bench-kit';

/** SPEC §9's scale; `BENCH_SCALE_ORDERS` runs it at another size (e.g. 3000000 on a busy machine). */
const ORDERS = Number(process.env.BENCH_SCALE_ORDERS ?? 10_000_000);
const BASE = 1_000_000;

/**
 * SPEC §9 at scale: every dashboard endpoint (the titles ones included) at 1,000,000 and at 10,000,000
 * orders, each 10M p95 (target < 50 ms) beside its 1M figure, so that a plan that is not bounded by its
 * window shows as a ratio far above 1; and the seed and fold times at both sizes. Seeding and folding
 * ten million orders takes the better part of half an hour on a quiet 2-core machine, so this runs only
 * when named: `npm run bench -- scale`.
 */
export default async function scaleBench(ctx: BenchContext): Promise<BenchRow[]> {
  // Listed as "not run" in the table's §9 scale line otherwise.
  if (!process.argv.slice(2).includes('scale')) return [];
  if (!Number.isInteger(ORDERS) || ORDERS <= BASE) throw new Error(`BENCH_SCALE_ORDERS must be above ${BASE}`);
  const base = await analyticsAt(ctx, { orders: BASE, p95TargetMs: 20, database: 'bench_scale_base', titles: true });
  await ctx.dropDatabase('bench_scale_base');
  const large = await analyticsAt(ctx, { orders: ORDERS, p95TargetMs: 50, database: 'bench_scale', titles: true });
  return sideBySide(base, large, `${round(ORDERS / 1e6, 1)}M`);
}

/**
 * The large run's rows, each p95 with the base run's p95 and their ratio in its note; of the base run
 * only what has no counterpart there (seed and fold times, the no-op floor), named for its size.
 */
function sideBySide(base: BenchRow[], large: BenchRow[], label: string): BenchRow[] {
  const baseP95 = new Map(base.filter((row) => / p95$/.test(row.metric)).map((row) => [row.metric, row.value]));
  const rows = large.map((row) => {
    const before = baseP95.get(row.metric);
    if (before === undefined) return row;
    const note = `1M ${before} ms → ${label} ${row.value} ms (${round(row.value / before, 1)}×)`;
    return { ...row, note: row.note ? `${note}; ${row.note}` : note };
  });
  const bulk = base
    .filter((row) => row.unit === 's' || /floor/.test(row.metric))
    .map((row) => (row.unit === 's' ? row : { ...row, metric: `${row.metric} at 1M` }));
  return [...bulk, ...rows];
}
