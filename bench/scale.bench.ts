import { analyticsAt } from './analytics.bench';
import { BenchContext, BenchRow } from './bench-kit';

const ORDERS = 10_000_000;

/**
 * SPEC §9 at scale: the dashboard endpoints at 10,000,000 orders, p95 < 50 ms. Seeding and folding ten
 * million orders takes the better part of half an hour on a 2-core machine, so this runs only when
 * named: `npm run bench -- scale`.
 */
export default async function scaleBench(ctx: BenchContext): Promise<BenchRow[]> {
  // Listed as "not run" in the table's §9 scale line otherwise.
  if (!process.argv.slice(2).includes('scale')) return [];
  return analyticsAt(ctx, { orders: ORDERS, p95TargetMs: 50, database: 'bench_scale' });
}
