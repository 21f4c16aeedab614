import { SchedulerRegistry } from '@nestjs/schedule';
import type { AlertCheckResponse, TodayVsYesterdayResponse } from '@mt/contracts';
import { todaySoFar, yesterdayFullDay } from '@mt/periods';
import { FixtureOrder, FixtureRefund, insertSalesFixtures } from '../../test/sales-fixtures';
import { createTestApp, TestApp } from '../../test/test-app';
import { formatMoney } from '../alerts/alert-messages';
import { AlertsService } from '../alerts/alerts.service';
import { RefundAttribution } from './sales-sql';
import { SalesRepository, WindowFigures } from './sales.repository';

/**
 * The sales read side on one data set with every case the rules of SPEC §2 tell apart: cancelled, test
 * and unconvertible orders, refunds of those, an unconverted refund, refunds on another day than their
 * order and one after "now". Each figure is asserted exactly while every hour is dirty (read from the
 * orders with the fragments of sales-sql.ts), after the rollups were folded (the rollup function of the
 * migrations, which states the same rules in its own SQL), and with rollups built for another zone.
 *
 * Now is Thursday 26 November 2026, 14:30 in Berlin (UTC+1).
 */
const NOW = '2026-11-26T14:30:00+01:00';
const ZONE = 'Europe/Berlin';

const ORDERS: FixtureOrder[] = [
  ['O1', 'shopify', '2026-11-19T08:00:00+01:00', 'USD', '11.00', '11.00', 'US', 'cancelled', false],
  ['O2', 'shopify', '2026-11-20T08:00:00+01:00', 'EUR', '30.00', null, 'FR', 'paid', false],
  ['F1', 'shopify', '2026-11-24T10:00:00+01:00', 'USD', '60.00', '60.00', 'US', 'paid', false],
  ['Y1', 'etsy', '2026-11-25T12:00:00+01:00', 'USD', '40.00', '40.00', 'GB', 'paid', false],
  ['Y2', 'shopify', '2026-11-25T18:00:00+01:00', 'GBP', '40.00', '50.00', 'GB', 'paid', false],
  ['Y3', 'shopify', '2026-11-25T20:00:00+01:00', 'USD', '500.00', '500.00', 'GB', 'cancelled', false],
  ['T1', 'shopify', '2026-11-26T00:00:00+01:00', 'USD', '70.00', '70.00', 'FR', 'paid', false],
  ['T2', 'woocommerce', '2026-11-26T09:30:00+01:00', 'USD', '60.50', '60.50', 'DE', 'processing', false],
  ['T3', 'shopify', '2026-11-26T11:00:00+01:00', 'EUR', '80.00', null, 'DE', 'paid', false],
  ['T4', 'shopify', '2026-11-26T12:00:00+01:00', 'USD', '25.00', '25.00', 'US', 'paid', true],
  ['T5', 'etsy', '2026-11-26T14:29:59+01:00', 'USD', '9.99', '9.99', 'US', 'cancelled', false],
  ['T6', 'shopify', '2026-11-26T16:00:00+01:00', 'USD', '999.00', '999.00', 'US', 'paid', false], // after now
];

const REFUNDS: FixtureRefund[] = [
  ['F1', '2026-11-25T09:00:00+01:00', '20.00', '20.00'], // the day after its order
  ['Y3', '2026-11-25T21:00:00+01:00', '500.00', '500.00'], // of a cancelled order: never counts
  ['T1', '2026-11-26T09:00:00+01:00', '10.00', '10.00'],
  ['Y2', '2026-11-26T11:30:00+01:00', '4.00', null], // unconverted: left out, and warned about
  ['Y1', '2026-11-26T10:30:00+01:00', '15.00', '15.00'], // yesterday's order refunded today
  ['T3', '2026-11-26T13:00:00+01:00', '8.00', '8.00'], // converted, but its order is not: left out
  ['T2', '2026-11-26T16:30:00+01:00', '5.50', '5.50'], // after now: only its order's day has it
];

interface Expected {
  /** orders, revenue, aov of today so far, yesterday, 24 November, and 24 November to now. */
  today: Figures;
  yesterday: Figures;
  dayBefore: Figures;
  threeDays: Figures;
  todayRevenueChange: number;
  todayWarnings: Array<[string, number, string[]]>;
  yesterdayWarnings: Array<[string, number, string[]]>;
  todayCountries: Array<[string, number, number]>;
  todayPlatforms: Array<[string, number, number, boolean]>;
}
type Figures = [number, number, number | null];

const EXPECTED: Record<RefundAttribution, Expected> = {
  refund_date: {
    // T1 + T2 = 130.50, less T1's 10 and Y1's 15 refunded today.
    today: [2, 105.5, 52.75],
    // Y1 + Y2 = 90, less F1's 20 refunded yesterday.
    yesterday: [2, 70, 35],
    dayBefore: [1, 60, 60],
    // 280.50 less 20, 15 and 10; T2's 5.50 comes after now.
    threeDays: [5, 235.5, 47.1],
    todayRevenueChange: 50.71,
    todayWarnings: [
      ['unconverted_orders', 1, ['EUR']],
      ['unconverted_refunds', 1, ['GBP']],
    ],
    yesterdayWarnings: [],
    // GB has no order today, only Y1's refund.
    todayCountries: [
      ['DE', 1, 60.5],
      ['FR', 1, 60],
      ['GB', 0, -15],
    ],
    todayPlatforms: [
      ['shopify', 1, 60, true],
      ['etsy', 0, -15, true],
      ['woocommerce', 1, 60.5, true],
      ['amazon', 0, 0, false],
    ],
  },
  order_date: {
    // T1 + T2 = 130.50, less T1's 10 and T2's 5.50 (made after now, but on today's order).
    today: [2, 115, 57.5],
    // Y1 + Y2 = 90, less Y1's 15; Y2's refund is unconverted.
    yesterday: [2, 75, 37.5],
    dayBefore: [1, 40, 40],
    threeDays: [5, 230, 46],
    todayRevenueChange: 53.33,
    todayWarnings: [['unconverted_orders', 1, ['EUR']]],
    yesterdayWarnings: [['unconverted_refunds', 1, ['GBP']]],
    todayCountries: [
      ['FR', 1, 60],
      ['DE', 1, 55],
    ],
    todayPlatforms: [
      ['shopify', 1, 60, true],
      ['etsy', 0, 0, true],
      ['woocommerce', 1, 55, true],
      ['amazon', 0, 0, false],
    ],
  },
};

function figures(f: WindowFigures): Figures {
  return [f.orders, f.revenue, f.aov];
}

const now = new Date(NOW);
const today = todaySoFar(now, ZONE);
const yesterday = yesterdayFullDay(now, ZONE);
const dayBefore = { from: new Date('2026-11-24T00:00:00+01:00'), to: yesterday.from };

describe.each(Object.keys(EXPECTED) as RefundAttribution[])('sales read side, REFUND_ATTRIBUTION=%s', (attribution) => {
  const expected = EXPECTED[attribution];
  let app: TestApp;
  let sales: SalesRepository;

  beforeAll(async () => {
    app = await createTestApp({ env: { REFUND_ATTRIBUTION: attribution } });
    sales = app.app.get(SalesRepository);
    // The rollups are folded by this spec alone: each state below is what it says, however slow the run.
    app.app.get(SchedulerRegistry).deleteInterval('comparison.rollups');
    await insertSalesFixtures(app, ORDERS, REFUNDS);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe.each([
    ['every hour dirty: read from the orders', null],
    ['rollups folded in the business zone', ZONE],
    ['rollups folded in another zone: whole days read from the hourly rollup', 'Asia/Kolkata'],
  ])('%s', (_name, rollupZone) => {
    beforeAll(async () => {
      if (rollupZone === null) {
        const [dirty] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM order_hourly_dirty`);
        expect(dirty.n).toBeGreaterThan(0);
        return;
      }
      await app.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [rollupZone]);
      const [dirty] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM order_hourly_dirty`);
      expect(dirty.n).toBe(0);
    });

    it('count and sum only counted, convertible orders, less the refunds attributed to each window', async () => {
      const rows = await sales.windows([
        { ...today, previous: 1 },
        { ...yesterday, previous: null },
        { ...dayBefore, previous: null },
        { from: dayBefore.from, to: now, previous: null },
      ]);
      expect(rows.map(figures)).toEqual([expected.today, expected.yesterday, expected.dayBefore, expected.threeDays]);
      expect(rows[0]!.revenueChange).toBe(expected.todayRevenueChange);
      expect(rows[0]!.ordersChange).toBe(0);
    });

    it('give the same days as a daily series', async () => {
      const days = await sales.series('day', '2026-11-24', '2026-11-26', now);
      expect(days.map((d) => [d.label, ...figures(d)])).toEqual([
        ['2026-11-24', ...expected.dayBefore],
        ['2026-11-25', ...expected.yesterday],
        ['2026-11-26', ...expected.today],
      ]);
    });

    it('group by country and platform with the same rules', async () => {
      const countries = await sales.countries(today, 'orders', 10);
      expect(countries.map((c) => [c.key, c.orders, c.revenue])).toEqual(expected.todayCountries);
      const platforms = await sales.platforms(today, yesterday, ['shopify', 'etsy', 'woocommerce', 'amazon']);
      expect(platforms.map((p) => [p.key, p.orders, p.revenue, p.hasOrders])).toEqual(expected.todayPlatforms);
    });

    it('warn about what counts but could not be converted, where its refund is attributed', async () => {
      const warnings = async (window: { from: Date; to: Date }) =>
        (await sales.warnings([window])).map((w) => [w.code, w.count, w.currencies]);
      expect(await warnings(today)).toEqual(expected.todayWarnings);
      expect(await warnings(yesterday)).toEqual(expected.yesterdayWarnings);
    });
  });

  it('find the last counted order, converted or not, and the first that enters the figures', async () => {
    // T5 (cancelled) and T4 (a test) come later; T3 counts although it could not be converted.
    expect(await sales.lastOrderAt(now)).toEqual(new Date('2026-11-26T11:00:00+01:00'));
    expect(await sales.lastOrderAt(new Date('2026-11-26T09:30:00+01:00'))).toEqual(
      new Date('2026-11-26T09:30:00+01:00'),
    );
    // O1 is cancelled and O2 unconvertible.
    expect(await sales.firstOrderAt()).toEqual(new Date('2026-11-24T10:00:00+01:00'));
  });

  it('alerts state the same day figures as the comparison endpoint', async () => {
    const comparison = (
      await app.as('viewer').get('/api/comparison/today-vs-yesterday').query({ now: NOW }).expect(200)
    ).body as TodayVsYesterdayResponse;
    expect([comparison.today.orders, comparison.today.revenue, comparison.today.aov]).toEqual(expected.today);

    await app.as('admin').post('/api/alerts').send({ kind: 'day_revenue', threshold: 0.01 }).expect(201);
    const check = (await app.as('admin').post('/api/alerts/check').query({ now: NOW }).expect(200))
      .body as AlertCheckResponse;
    expect(check.fired.map((e) => e.subject)).toEqual([
      `MT Ink: ${formatMoney(comparison.today.revenue, 'USD')} today, milestone $0.01 reached`,
    ]);
    expect(check.fired[0]!.body).toContain(`from ${comparison.today.orders} orders as of 2026-11-26 14:30.`);

    const digest = await app.app.get(AlertsService).digest(new Date('2026-11-27T08:00:00+01:00'));
    const { from, to, orders, revenue, aov } = comparison.yesterdayFullDay;
    expect([from, to]).toEqual(['2026-11-25T00:00:00+01:00', '2026-11-26T00:00:00+01:00']);
    expect(digest.dayBefore).toEqual({ date: '2026-11-25', orders, revenue, aov });
    expect(digest.day).toEqual({
      date: '2026-11-26',
      orders: 3,
      // The whole of 26 November: T6 (999) after now too, and with refund_date T2's 5.50 refunded after now.
      revenue: attribution === 'refund_date' ? 1099 : 1114,
      aov: attribution === 'refund_date' ? 366.33 : 371.33,
    });
  });
});
