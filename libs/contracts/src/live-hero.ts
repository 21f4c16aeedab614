import type { TodayVsYesterdayResponse } from './analytics';
import type { HeroShare } from './events';

/**
 * Whether figures read in the snapshot `watermark` include what transaction `commit` stored. The
 * watermark is PostgreSQL's `pg_current_snapshot()` of the figures' statement (`xmin:xmax:xip,…`), the
 * commit that transaction's `pg_current_xact_id()`: the figures include it exactly when it had committed
 * as the snapshot was taken (below xmin, or below xmax and not in progress). A share's commit is always
 * of a committed transaction (it is sent after the commit), so no order is both in the figures and added.
 */
export function figuresInclude(watermark: string, commit: string): boolean {
  return snapshotOf(watermark).includes(BigInt(commit));
}

/** A watermark read once: a dashboard tests every share it holds against it. */
interface Snapshot {
  includes(commit: bigint): boolean;
}

function snapshotOf(watermark: string): Snapshot {
  const [xmin = '0', xmax = '0', inProgress = ''] = watermark.split(':');
  const [below, from] = [BigInt(xmin), BigInt(xmax)];
  const running = new Set(inProgress.split(',').filter((id) => id !== ''));
  return {
    includes: (commit) => commit < below || (commit < from && !running.has(commit.toString())),
  };
}

/**
 * The hero that `figures` (read at `watermark`) and the shares of the orders they do not include make:
 * what `GET /api/comparison/today-vs-yesterday` answers once those orders are in. Only today moves (a
 * share of another day waits for the next figures); its AOV and the changes against yesterday are worked
 * out again as PostgreSQL rounds them (half away from zero), on integer cents: no float adds money.
 */
export function heroWithShares(
  figures: TodayVsYesterdayResponse,
  watermark: string,
  shares: Iterable<HeroShare>,
): TodayVsYesterdayResponse {
  return withShares(figures, snapshotOf(watermark), shares);
}

function withShares(
  figures: TodayVsYesterdayResponse,
  snapshot: Snapshot,
  shares: Iterable<HeroShare>,
): TodayVsYesterdayResponse {
  const day = figures.today.from.slice(0, 10);
  let orders = 0;
  let cents = 0n;
  for (const share of shares) {
    if (share.day !== day || snapshot.includes(BigInt(share.commit))) continue;
    orders += share.orders;
    cents += centsOf(share.revenue);
  }
  if (orders === 0 && cents === 0n) return figures;
  const today = { orders: BigInt(figures.today.orders + orders), cents: centsOf(figures.today.revenue) + cents };
  const yesterday = { orders: BigInt(figures.yesterday.orders), cents: centsOf(figures.yesterday.revenue) };
  return {
    ...figures,
    today: {
      ...figures.today,
      orders: Number(today.orders),
      revenue: amount(today.cents),
      aov: today.orders === 0n ? null : amount(dividedRounded(today.cents, today.orders)),
    },
    change: {
      orders: percentChange(today.orders, 1n, yesterday.orders, 1n),
      revenue: percentChange(today.cents, 1n, yesterday.cents, 1n),
      aov:
        today.orders === 0n || yesterday.orders === 0n
          ? null
          : percentChange(today.cents, today.orders, yesterday.cents, yesterday.orders),
    },
  };
}

/**
 * The hero one dashboard shows: the newest figures (by `asOf`), plus, when they came with a watermark
 * (pushed), the shares of the orders they do not include. Shares are kept by event id, so an event seen
 * twice (live and replayed) adds once; figures that include a share make it redundant, and it is dropped
 * (every later push includes it too: a commit stays committed). Figures fetched without a watermark are
 * shown as they are until the next push. The hero is worked out again only when something changed.
 */
export class LiveHero {
  private figures: TodayVsYesterdayResponse | null = null;
  private snapshot: Snapshot | null = null;
  private readonly shares = new Map<string, HeroShare>();
  private shownHero: TodayVsYesterdayResponse | null = null;

  /** False (and ignored) when older than the figures shown. */
  acceptFigures(hero: TodayVsYesterdayResponse, watermark: string | null): boolean {
    if (this.figures && Date.parse(this.figures.asOf) > Date.parse(hero.asOf)) return false;
    this.figures = hero;
    this.snapshot = watermark === null ? null : snapshotOf(watermark);
    if (this.snapshot) {
      for (const [id, share] of this.shares) if (this.snapshot.includes(BigInt(share.commit))) this.shares.delete(id);
    }
    this.shownHero = null;
    return true;
  }

  /** `eventId`: the event's `meta.id` (or any key unique to it when it was not stored). */
  acceptShare(eventId: string, share: HeroShare): void {
    if (this.shares.has(eventId) || this.snapshot?.includes(BigInt(share.commit))) return;
    this.shares.set(eventId, share);
    this.shownHero = null;
  }

  shown(): TodayVsYesterdayResponse | null {
    if (!this.figures) return null;
    this.shownHero ??= this.snapshot ? withShares(this.figures, this.snapshot, this.shares.values()) : this.figures;
    return this.shownHero;
  }
}

/** Cents of an amount as the API writes it: a JSON number rounded to cents, or a decimal string. */
function centsOf(value: number | string): bigint {
  if (typeof value === 'number') return BigInt(Math.round(value * 100));
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new Error(`"${value}" is not an amount in cents`);
  const cents = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

/** As a JSON number: the same number PostgreSQL's decimal text parses to. */
function amount(cents: bigint): number {
  const abs = cents < 0n ? -cents : cents;
  return Number(`${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`);
}

/** `numerator / denominator` rounded to an integer, half away from zero (PostgreSQL's round()). */
function dividedRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  const quotient = (2n * n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

/** (a/b − c/d) / (c/d) × 100 rounded to 0.01, null when c/d is 0 (SPEC §2), exactly. */
function percentChange(a: bigint, b: bigint, c: bigint, d: bigint): number | null {
  if (c === 0n) return null;
  return amount(dividedRounded((a * d - c * b) * 10_000n, c * b));
}
