import type { PeriodComparisonResponse, TitlesResponse } from '@mt/contracts';
import { addDays, comparedWithPreviousRange } from '@mt/periods';
import { createTestApp, TestApp } from '../../test/test-app';
import { requestedRange } from '../common/requested-range';
import type { NormalizedLine, NormalizedOrder } from '../orders/normalized-order';
import { ingest, line, order, refund } from './fixtures/title-orders';
import { TitlesRepository } from './titles.repository';
import { windowParts } from './window-parts';

/**
 * The promise of SPEC §2: for any window, the titles' revenue plus the orders without lines equals the
 * window's revenue of the comparison endpoints, to the cent, under both refund attributions. A seeded
 * random data set (0–4 lines, shipping, tax, order discounts, partial refunds naming lines or not,
 * refunds after now, unconvertible, cancelled and test orders), 50 random windows, checked while every
 * day is dirty, with only the hourly rollups folded, after both were folded (whole months, whole days,
 * whole hours and the minutes at the ends each read from where they are kept), after a rate arrives and converts
 * orders, and folded again.
 */
const NOW = '2026-03-31T14:30:00+02:00';
const WINDOWS = 50;

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS: Array<Partial<NormalizedLine> & { title: string }> = [
  { title: 'The Ink Road', variant: 'Paperback', sku: 'IR-PB' },
  { title: 'The Ink Road (Audiobook)', gtin: '9781000000011' },
  { title: 'Paper Harbours: A Novel', variant: 'Hardcover' },
  { title: 'PAPER HARBOURS', variant: 'Paperback' },
  { title: 'Small Capitals', variant: 'eBook', productId: '77' },
  { title: 'Letters from Mt Ink' },
  { title: 'North of the Margin', variant: 'A3 art print' },
  { title: 'A Quiet Press', variant: 'Paperback', gtin: '9781000000042' },
];

/** Whole cents as decimal text. */
const money = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

function dataSet(random: () => number): NormalizedOrder[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const start = Date.parse('2026-02-01T00:00:00Z');
  const span = Date.parse('2026-04-01T12:00:00Z') - start; // a few after now
  const orders: NormalizedOrder[] = [];
  for (let i = 0; i < 220; i++) {
    const createdAt = new Date(start + Math.floor(random() * span));
    const lines: NormalizedLine[] = Array.from({ length: Math.floor(random() * 5) }, () => {
      const product = pick(PRODUCTS);
      const quantity = 1 + Math.floor(random() * 3);
      const lineTotal = random() < 0.1 ? 0 : Math.floor(random() * 6000);
      return line(product.title, { ...product, quantity, lineTotal: money(lineTotal), unitPrice: money(lineTotal) });
    });
    const linesTotal = lines.reduce((sum, l) => sum + Math.round(Number(l.lineTotal) * 100), 0);
    const shipping = random() < 0.5 ? 495 : 0;
    const tax = Math.floor(random() * 800);
    const discount = random() < 0.3 ? Math.floor(random() * 500) : 0;
    const total = Math.max(linesTotal + shipping + tax - discount, 50);
    const platform = pick(['shopify', 'etsy', 'woocommerce'] as const);
    const refunds = [];
    if (random() < 0.3) {
      const named = lines.length > 0 && random() < 0.5 ? Math.floor(random() * lines.length) : -1;
      if (named >= 0)
        lines[named] = { ...lines[named]!, refundedAmount: money(Math.floor(Number(lines[named]!.lineTotal) * 50)) };
      for (let r = 0; r < 1 + Math.floor(random() * 2); r++) {
        const at = new Date(createdAt.getTime() + Math.floor(random() * 10 * 86_400_000));
        refunds.push(refund(`r${i}-${r}`, at.toISOString(), money(1 + Math.floor((random() * total) / 2))));
      }
    }
    const status = random() < 0.08 ? 'cancelled' : 'paid';
    orders.push(
      order(`P${i}`, createdAt.toISOString(), money(total), lines, {
        platform,
        store: platform,
        currency: pick(['USD', 'USD', 'USD', 'USD', 'EUR', 'ZAR'] as const),
        country: pick(['GB', 'US', 'DE', null] as const),
        status,
        test: random() < 0.03,
        refunds,
      }),
    );
  }
  return orders;
}

function windows(random: () => number): Array<{ from: string; to: string }> {
  const start = Date.parse('2026-01-28T00:00:00Z');
  const span = Date.parse('2026-04-02T00:00:00Z') - start;
  return Array.from({ length: WINDOWS }, () => {
    // One in four is 5 to 10 weeks from late January or February on, so spans February or March whole.
    const long = random() < 0.25;
    const from = long
      ? new Date(Date.parse('2026-01-20T00:00:00Z') + Math.floor(random() * 40 * 86_400_000))
      : new Date(start + Math.floor(random() * span));
    const length = long ? (35 + Math.floor(random() * 35)) * 86_400_000 : Math.floor(random() * 20 * 86_400_000);
    const to = new Date(from.getTime() + length + 3_600_000);
    if (random() < 0.5) return { from: from.toISOString(), to: to.toISOString() };
    // Calendar dates of the business zone (`to` inclusive).
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return { from: day(from), to: addDays(day(to), 0) };
  });
}

const cents = (amount: number) => Math.round(amount * 100);

describe('titles add up to the revenue of every window (property)', () => {
  let byRefundDate: TestApp;
  let byOrderDate: TestApp;
  const random = generator(20260331);
  const data = dataSet(random);
  const ranges = windows(random);

  beforeAll(async () => {
    byRefundDate = await createTestApp();
    byOrderDate = await createTestApp({ db: byRefundDate.db, env: { REFUND_ATTRIBUTION: 'order_date' } });
    const days = Array.from({ length: 70 }, (_, i) => addDays('2026-01-25', i));
    await byRefundDate
      .as('admin')
      .post('/api/fx/rates')
      .send({ rates: days.map((date) => ({ date, currency: 'EUR', rate: '1.0831' })) })
      .expect(200);
    await ingest(byRefundDate, data);
  });
  afterAll(async () => {
    await byOrderDate.close();
    await byRefundDate.close();
  });

  const mismatches = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const [name, app] of [
      ['refund date', byRefundDate],
      ['order date', byOrderDate],
    ] as const) {
      for (const range of ranges) {
        const query = { ...range, now: NOW };
        const titles = (
          await app
            .as('viewer')
            .get('/api/titles')
            .query({ ...query, limit: 100 })
            .expect(200)
        ).body as TitlesResponse;
        const comparison = (await app.as('viewer').get('/api/comparison/range').query(query).expect(200))
          .body as PeriodComparisonResponse;
        const listed = titles.titles.reduce(
          (sum, title) => sum + cents(title.revenue),
          cents(titles.noLineItems.revenue),
        );
        const previous = titles.titles.reduce(
          (sum, title) => sum + cents(title.previousRevenue),
          cents(titles.noLineItems.previousRevenue),
        );
        const at = `${name} ${range.from}…${range.to}`;
        if (cents(titles.total.revenue) !== cents(comparison.current.revenue))
          problems.push(`${at}: total ${titles.total.revenue} ≠ ${comparison.current.revenue}`);
        if (listed !== cents(comparison.current.revenue))
          problems.push(`${at}: titles ${listed / 100} ≠ ${comparison.current.revenue}`);
        if (previous !== cents(comparison.previous.revenue))
          problems.push(`${at}: previous ${previous / 100} ≠ ${comparison.previous.revenue}`);
        if (titles.total.orders !== comparison.current.orders)
          problems.push(`${at}: orders ${titles.total.orders} ≠ ${comparison.current.orders}`);
      }
    }
    return problems;
  };

  const fold = async () => {
    const zone = byRefundDate.config.businessTimezone;
    await byRefundDate.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [zone]);
    await byRefundDate.app.get(TitlesRepository).refreshRollups();
  };

  it('has windows that read whole months, whole days, whole hours and minutes once the rollups are folded', () => {
    const zone = byRefundDate.config.businessTimezone;
    const read = { months: 0, days: 0, daysOffMonths: 0, hours: 0, raw: 0 };
    for (const range of ranges) {
      const { current, previous } = comparedWithPreviousRange(
        requestedRange(range.from, range.to, zone),
        new Date(NOW),
        zone,
      );
      const parts = windowParts([current, previous], zone, { daysInZone: true, dirtyDays: [], dirtyHours: [] });
      read.months += parts.months.length;
      read.days += parts.days.length;
      read.daysOffMonths += parts.days.filter((days) => days.sign === -1).length;
      read.hours += parts.hours.length;
      read.raw += parts.raw.length;
    }
    expect(read.months).toBeGreaterThan(5);
    expect(read.days).toBeGreaterThan(40);
    expect(read.daysOffMonths).toBeGreaterThan(5);
    expect(read.hours).toBeGreaterThan(40);
    expect(read.raw).toBeGreaterThan(40);
  });

  it('holds with every day dirty, hours folded, both folded, after a rate converts waiting orders, and folded again', async () => {
    // The data set has what the property is about.
    const [shape] = await byRefundDate.db.dataSource.query(`
      SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id))::int AS without_lines,
        count(*) FILTER (WHERE base_total IS NULL)::int AS unconvertible,
        count(*) FILTER (WHERE NOT counted)::int AS not_counted,
        (SELECT count(*)::int FROM refunds) AS refunds,
        (SELECT count(*)::int FROM order_lines WHERE refunded_amount > 0) AS named_lines
      FROM orders o`);
    expect(shape.without_lines).toBeGreaterThan(20);
    expect(shape.unconvertible).toBeGreaterThan(10);
    expect(shape.not_counted).toBeGreaterThan(10);
    expect(shape.refunds).toBeGreaterThan(40);
    expect(shape.named_lines).toBeGreaterThan(10);

    expect(await mismatches()).toEqual([]);
    // The hourly rollups folded, the daily ones not: every day is read from hours and minutes.
    await byRefundDate.db.dataSource.query(`SELECT refresh_title_hour_rollups()`);
    expect(await mismatches()).toEqual([]);
    await fold();
    const [rollups] = await byRefundDate.db.dataSource.query(
      `SELECT (SELECT count(*) FROM title_hourly_dirty)::int AS dirty_days, (SELECT count(*) FROM title_hour_dirty)::int AS dirty_hours,
         (SELECT count(*) FROM title_daily_totals)::int > 0 AS days, (SELECT count(*) FROM title_hourly_totals)::int > 0 AS hours`,
    );
    expect(rollups).toEqual({ dirty_days: 0, dirty_hours: 0, days: true, hours: true });
    expect(await mismatches()).toEqual([]);

    const days = Array.from({ length: 35 }, (_, i) => addDays('2026-01-25', i));
    await byRefundDate
      .as('admin')
      .post('/api/fx/rates')
      .send({ rates: days.map((date) => ({ date, currency: 'ZAR', rate: '0.0541' })) })
      .expect(200);
    expect(await mismatches()).toEqual([]);
    await fold();
    expect(await mismatches()).toEqual([]);
  });
});
