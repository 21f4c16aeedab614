import type { CountriesResponse } from '@mt/contracts';
import { compared, FixtureOrder, FixtureRefund, insertSalesFixtures } from '../../apps/api/test/sales-fixtures';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

/**
 * Sales analytics through HTTP on a real PostgreSQL, with hand-made orders on the edges of every window.
 * Now is Tuesday 31 March 2026, 14:30 in Berlin (12:30Z): the month ends today, the week began yesterday,
 * and Sunday 29 March, in last week, was the 23-hour spring DST day.
 */
const NOW = '2026-03-31T14:30:00+02:00';

const ORDERS: FixtureOrder[] = [
  ['A', 'shopify', '2026-03-30T23:59:59+02:00', 'USD', '100.00', '100.00', 'GB', 'paid', false], // 1 s before midnight
  ['B', 'etsy', '2026-03-31T00:00:00+02:00', 'GBP', '40.00', '50.00', 'US', 'paid', false], // midnight exactly
  ['C', 'woocommerce', '2026-03-31T00:00:01+02:00', 'USD', '25.50', '25.50', 'DE', 'processing', false], // 1 s after
  ['D', 'shopify', '2026-03-31T14:29:59+02:00', 'USD', '10.00', '10.00', 'GB', 'paid', false], // 1 s before now
  ['E', 'shopify', '2026-03-31T14:30:00+02:00', 'USD', '999.00', '999.00', 'GB', 'paid', false], // at now: not yet
  ['F', 'shopify', '2026-03-30T14:29:59+02:00', 'USD', '40.00', '40.00', 'US', 'paid', false], // yesterday before now's time
  ['G', 'etsy', '2026-03-30T14:30:00+02:00', 'USD', '60.00', '60.00', 'GB', 'paid', false], // yesterday at now's time
  ['H', 'shopify', '2026-03-31T09:00:00+02:00', 'USD', '500.00', '500.00', 'GB', 'cancelled', false],
  ['I', 'shopify', '2026-03-31T09:00:00+02:00', 'USD', '300.00', '300.00', 'GB', 'paid', true],
  ['J', 'shopify', '2026-03-31T11:00:00+02:00', 'EUR', '80.00', null, 'DE', 'paid', false], // unconvertible
  ['K1', 'shopify', '2026-03-29T03:30:00+02:00', 'USD', '70.00', '70.00', 'FR', 'paid', false], // just after the DST gap
  ['K2', 'etsy', '2026-03-29T01:59:59+01:00', 'USD', '30.00', '30.00', 'FR', 'paid', false], // just before it
  ['L1', 'shopify', '2026-03-24T14:29:59+01:00', 'USD', '20.00', '20.00', 'GB', 'paid', false], // last week, before the point
  ['L2', 'shopify', '2026-03-24T14:30:00+01:00', 'USD', '35.00', '35.00', 'GB', 'paid', false], // last week, at the point
  ['M0', 'shopify', '2026-01-31T23:59:59+01:00', 'USD', '5.00', '5.00', 'US', 'paid', false],
  ['M1', 'shopify', '2026-02-28T23:59:59+01:00', 'USD', '200.00', '200.00', 'US', 'paid', false], // last second of February
  ['M2', 'etsy', '2026-03-01T00:00:00+01:00', 'USD', '15.00', '15.00', 'US', 'paid', false], // first second of March
  ['P', 'amazon', '2025-06-01T12:00:00+02:00', 'USD', '12.00', '12.00', 'US', 'Shipped', false],
  ['Q', 'shopify', '2025-04-01T12:00:00+02:00', 'USD', '100.00', '100.00', 'US', 'paid', false], // 364 days before 31 March
];

const REFUNDS: FixtureRefund[] = [
  ['F', '2026-03-31T10:00:00+02:00', '15.00', '15.00'], // yesterday's order refunded today
  ['M1', '2026-03-02T12:00:00+01:00', '50.00', '50.00'], // February's order refunded in March
  ['H', '2026-03-31T10:00:00+02:00', '500.00', '500.00'], // refund of a cancelled order: ignored
  ['B', '2026-03-31T11:30:00+02:00', '4.00', null], // unconvertible refund
];

async function insertFixtures(app: TestApp): Promise<void> {
  await insertSalesFixtures(app, ORDERS, REFUNDS);
}

/** What the scheduled job does: fold the dirty hours into the rollups. */
async function refreshRollups(app: TestApp): Promise<void> {
  await app.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [app.config.businessTimezone]);
}

const WARNINGS = [
  {
    code: 'unconverted_orders',
    count: 1,
    currencies: ['EUR'],
    missing: [{ currency: 'EUR', days: ['2026-03-31'] }],
    message:
      '1 order in EUR could not be converted to USD and is left out (no rate for EUR on 2026-03-31): add the rates under Settings → Currencies',
  },
  {
    code: 'unconverted_refunds',
    count: 1,
    currencies: ['GBP'],
    missing: [{ currency: 'GBP', days: ['2026-03-31'] }],
    message:
      '1 refund in GBP could not be converted to USD and is left out (no rate for GBP on 2026-03-31): add the rates under Settings → Currencies',
  },
];

type CountryFigures = CountriesResponse['countries'][number];

function get(app: TestApp, path: string, query: Record<string, string | number> = {}) {
  return app
    .as('viewer')
    .get(path)
    .query({ now: NOW, ...query });
}

describe('sales analytics API', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    await insertFixtures(app);
  });
  afterAll(async () => {
    await app.close();
  });

  // The same answers whether hours are read from the orders (dirty) or from the hourly rollup.
  describe.each([
    ['read from the orders (every hour dirty)', false],
    ['read from the rollups', true],
  ])('%s', (_name, refreshed) => {
    beforeAll(async () => {
      if (refreshed) {
        await refreshRollups(app);
        const [dirty] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM order_hourly_dirty`);
        expect(dirty.n).toBe(0);
      }
    });

    it('GET /api/comparison/today-vs-yesterday', async () => {
      const res = await get(app, '/api/comparison/today-vs-yesterday').expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        // B, C, D; E is at now; F's refund of 15 today; cancelled, test and EUR orders out.
        today: { from: '2026-03-31T00:00:00+02:00', to: NOW, orders: 3, revenue: 70.5, aov: 23.5 },
        // F; G is exactly at now's wall-clock time.
        yesterday: {
          from: '2026-03-30T00:00:00+02:00',
          to: '2026-03-30T14:30:00+02:00',
          orders: 1,
          revenue: 40,
          aov: 40,
        },
        yesterdayFullDay: {
          from: '2026-03-30T00:00:00+02:00',
          to: '2026-03-31T00:00:00+02:00',
          orders: 3,
          revenue: 200,
          aov: 66.67,
        },
        change: { orders: 200, revenue: 76.25, aov: -41.25 },
        warnings: WARNINGS,
      });
    });

    it('GET /api/comparison/week-vs-lastweek', async () => {
      const res = await get(app, '/api/comparison/week-vs-lastweek').expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        current: { from: '2026-03-30T00:00:00+02:00', to: NOW, orders: 6, revenue: 270.5, aov: 45.08 },
        previous: {
          from: '2026-03-23T00:00:00+01:00',
          to: '2026-03-24T14:30:00+01:00',
          orders: 1,
          revenue: 20,
          aov: 20,
        },
        change: { orders: 500, revenue: 1252.5, aov: 125.42 },
        warnings: WARNINGS,
      });
    });

    it('GET /api/comparison/month-vs-lastmonth: 31 March against the whole of February', async () => {
      const res = await get(app, '/api/comparison/month-vs-lastmonth').expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        // 11 orders, 455.50, minus the refunds dated in March (15 + 50).
        current: { from: '2026-03-01T00:00:00+01:00', to: NOW, orders: 11, revenue: 390.5, aov: 35.5 },
        previous: {
          from: '2026-02-01T00:00:00+01:00',
          to: '2026-03-01T00:00:00+01:00',
          orders: 1,
          revenue: 200,
          aov: 200,
        },
        change: { orders: 1000, revenue: 95.25, aov: -82.25 },
        warnings: WARNINGS,
      });
    });

    it('GET /api/comparison/range: a week with the DST day against the week before (empty)', async () => {
      const res = await get(app, '/api/comparison/range', { from: '2026-03-23', to: '2026-03-29' }).expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        current: {
          from: '2026-03-23T00:00:00+01:00',
          to: '2026-03-30T00:00:00+02:00',
          orders: 4,
          revenue: 155,
          aov: 38.75,
        },
        previous: {
          from: '2026-03-16T00:00:00+01:00',
          to: '2026-03-23T00:00:00+01:00',
          orders: 0,
          revenue: 0,
          aov: null,
        },
        change: { orders: null, revenue: null, aov: null },
        warnings: [],
      });
    });

    it('GET /api/comparison/range: this week to Sunday is cut at now, just like week-vs-lastweek', async () => {
      const range = await get(app, '/api/comparison/range', { from: '2026-03-30', to: '2026-04-05' }).expect(200);
      const week = await get(app, '/api/comparison/week-vs-lastweek').expect(200);
      expect(range.body).toEqual(week.body);
      // E, at now, is not in yet; the week before ends at Tuesday 14:30 on the wall clock (CET then).
      expect(range.body.current.to).toBe(NOW);
      expect(range.body.previous.to).toBe('2026-03-24T14:30:00+01:00');
    });

    it('GET /api/comparison/yoy: 364 days back, Monday to Monday, both cut at now', async () => {
      const res = await get(app, '/api/comparison/yoy', { from: '2026-03-30', to: '2026-03-31' }).expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        // The range reaches into the future: it ends at now, so E does not count.
        current: { from: '2026-03-30T00:00:00+02:00', to: NOW, orders: 6, revenue: 270.5, aov: 45.08 },
        // Q, at 12:00 on the Tuesday 364 days earlier, is before the same point.
        previous: {
          from: '2025-03-31T00:00:00+02:00',
          to: '2025-04-01T14:30:00+02:00',
          orders: 1,
          revenue: 100,
          aov: 100,
        },
        change: { orders: 500, revenue: 170.5, aov: -54.92 },
        warnings: WARNINGS,
      });
    });

    it('GET /api/growth/daily: the 23-hour day is one day, oldest first, empty days included', async () => {
      const res = await get(app, '/api/growth/daily', { days: 4 }).expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        from: '2026-03-28T00:00:00+01:00',
        to: NOW,
        compare: 'previous',
        // The four days before, the last one cut at now's wall-clock time.
        previous: { from: '2026-03-24T00:00:00+01:00', to: '2026-03-27T14:30:00+01:00' },
        days: [
          { date: '2026-03-28', orders: 0, revenue: 0, aov: null, aovChange: null },
          { date: '2026-03-29', orders: 2, revenue: 100, aov: 50, aovChange: null },
          { date: '2026-03-30', orders: 3, revenue: 200, aov: 66.67, aovChange: 33.33 },
          { date: '2026-03-31', orders: 3, revenue: 70.5, aov: 23.5, aovChange: -64.75 },
        ],
        comparisonDays: [
          // L1 and L2, on both sides of 14:30 (a whole day here).
          { date: '2026-03-24', orders: 2, revenue: 55, aov: 27.5, aovChange: null },
          { date: '2026-03-25', orders: 0, revenue: 0, aov: null, aovChange: null },
          { date: '2026-03-26', orders: 0, revenue: 0, aov: null, aovChange: null },
          { date: '2026-03-27', orders: 0, revenue: 0, aov: null, aovChange: null },
        ],
        warnings: WARNINGS,
      });
    });

    it('GET /api/growth/weekly', async () => {
      const res = await get(app, '/api/growth/weekly', { weeks: 2 }).expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        weeks: [
          { weekStart: '2026-03-23', orders: 4, revenue: 155, aov: 38.75, revenueChange: null },
          { weekStart: '2026-03-30', orders: 6, revenue: 270.5, aov: 45.08, revenueChange: 74.52 },
        ],
        warnings: WARNINGS,
      });
    });

    it('GET /api/growth/monthly', async () => {
      const res = await get(app, '/api/growth/monthly', { months: 3 }).expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        months: [
          { month: '2026-01', orders: 1, revenue: 5, aov: 5, revenueChange: null },
          { month: '2026-02', orders: 1, revenue: 200, aov: 200, revenueChange: 3900 },
          { month: '2026-03', orders: 11, revenue: 390.5, aov: 35.5, revenueChange: 95.25 },
        ],
        warnings: WARNINGS,
      });
    });

    it('GET /api/growth/monthly over a year: months without orders included', async () => {
      const res = await get(app, '/api/growth/monthly').expect(200);
      expect(res.body.months.map((m: { month: string; orders: number }) => [m.month, m.orders])).toEqual([
        ['2025-04', 1],
        ['2025-05', 0],
        ['2025-06', 1],
        ['2025-07', 0],
        ['2025-08', 0],
        ['2025-09', 0],
        ['2025-10', 0],
        ['2025-11', 0],
        ['2025-12', 0],
        ['2026-01', 1],
        ['2026-02', 1],
        ['2026-03', 11],
      ]);
    });

    it('GET /api/countries: by orders, then revenue (refunds lower the country of their order)', async () => {
      const res = await get(app, '/api/countries').expect(200);
      expect(res.body).toEqual({
        currency: 'USD',
        from: '2026-03-02T00:00:00+01:00',
        to: NOW,
        compare: 'previous',
        previous: { from: '2026-01-31T00:00:00+01:00', to: '2026-03-01T14:30:00+01:00' },
        countries: [
          { country: 'GB', ...compared(5, 225) },
          { country: 'FR', ...compared(2, 100) },
          // M0, M1 and M2 before; M1's refund on 2 March belongs to this range.
          { country: 'US', ...compared(2, 25, [3, 220], [-33.33, -88.64]) },
          { country: 'DE', ...compared(1, 25.5) },
        ],
        warnings: WARNINGS,
      });
    });

    it('GET /api/countries?sort=revenue&limit=3', async () => {
      const res = await get(app, '/api/countries', { sort: 'revenue', limit: 3 }).expect(200);
      expect(
        res.body.countries.map(({ country, orders, revenue }: CountryFigures) => [country, orders, revenue]),
      ).toEqual([
        ['GB', 5, 225],
        ['FR', 2, 100],
        ['DE', 1, 25.5],
      ]);
    });

    it('GET /api/revenue/platforms: all five, eBay coming soon, Amazon active once it has an order', async () => {
      const res = await get(app, '/api/revenue/platforms').expect(200);
      expect(res.body).toEqual({
        currency: 'USD',
        from: '2026-03-02T00:00:00+01:00',
        to: NOW,
        compare: 'previous',
        previous: { from: '2026-01-31T00:00:00+01:00', to: '2026-03-01T14:30:00+01:00' },
        platforms: [
          // M0 and M1 before.
          { platform: 'shopify', status: 'active', ...compared(6, 210, [2, 205], [200, 2.44]) },
          // M2 before.
          { platform: 'etsy', status: 'active', ...compared(3, 140, [1, 15], [200, 833.33]) },
          { platform: 'woocommerce', status: 'active', ...compared(1, 25.5) },
          { platform: 'amazon', status: 'active', ...compared(0, 0) },
          { platform: 'ebay', status: 'coming_soon', ...compared(0, 0) },
        ],
        warnings: WARNINGS,
      });
    });

    it('GET /api/metrics/summary', async () => {
      const res = await get(app, '/api/metrics/summary').expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        today: {
          current: { from: '2026-03-31T00:00:00+02:00', to: NOW, orders: 3, revenue: 70.5, aov: 23.5 },
          previous: {
            from: '2026-03-30T00:00:00+02:00',
            to: '2026-03-30T14:30:00+02:00',
            orders: 1,
            revenue: 40,
            aov: 40,
          },
          change: { orders: 200, revenue: 76.25, aov: -41.25 },
        },
        yesterday: {
          current: {
            from: '2026-03-30T00:00:00+02:00',
            to: '2026-03-31T00:00:00+02:00',
            orders: 3,
            revenue: 200,
            aov: 66.67,
          },
          previous: {
            from: '2026-03-29T00:00:00+01:00',
            to: '2026-03-30T00:00:00+02:00',
            orders: 2,
            revenue: 100,
            aov: 50,
          },
          change: { orders: 50, revenue: 100, aov: 33.33 },
        },
        week: {
          current: { from: '2026-03-30T00:00:00+02:00', to: NOW, orders: 6, revenue: 270.5, aov: 45.08 },
          previous: {
            from: '2026-03-23T00:00:00+01:00',
            to: '2026-03-24T14:30:00+01:00',
            orders: 1,
            revenue: 20,
            aov: 20,
          },
          change: { orders: 500, revenue: 1252.5, aov: 125.42 },
        },
        month: {
          current: { from: '2026-03-01T00:00:00+01:00', to: NOW, orders: 11, revenue: 390.5, aov: 35.5 },
          previous: {
            from: '2026-02-01T00:00:00+01:00',
            to: '2026-03-01T00:00:00+01:00',
            orders: 1,
            revenue: 200,
            aov: 200,
          },
          change: { orders: 1000, revenue: 95.25, aov: -82.25 },
        },
        last30Days: {
          current: { from: '2026-03-02T00:00:00+01:00', to: NOW, orders: 10, revenue: 375.5, aov: 37.55 },
          previous: {
            from: '2026-01-31T00:00:00+01:00',
            to: '2026-03-01T14:30:00+01:00',
            orders: 3,
            revenue: 220,
            aov: 73.33,
          },
          change: { orders: 233.33, revenue: 70.68, aov: -48.8 },
        },
        range: null,
        warnings: WARNINGS,
      });
    });
  });

  describe('immediately consistent after writes', () => {
    it('a cancellation and a new order show up at once, before any refresh', async () => {
      await refreshRollups(app);
      await app.db.dataSource.query(`UPDATE orders SET status = 'cancelled' WHERE external_id = 'A'`);
      await app.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', 'N', '2026-03-31T13:00:00+02:00', 'USD', 9.99, 9.99, 'GB', 'paid')`,
      );
      const res = await get(app, '/api/comparison/today-vs-yesterday').expect(200);
      expect(res.body.today).toEqual({
        from: '2026-03-31T00:00:00+02:00',
        to: NOW,
        orders: 4,
        revenue: 80.49,
        aov: 20.12,
      });
      expect(res.body.yesterdayFullDay).toEqual({
        from: '2026-03-30T00:00:00+02:00',
        to: '2026-03-31T00:00:00+02:00',
        orders: 2,
        revenue: 100,
        aov: 50,
      });
      const countries = await get(app, '/api/countries', { limit: 1 }).expect(200);
      expect(countries.body.countries).toEqual([{ country: 'GB', ...compared(5, 134.99) }]);
      // Cancelling F moves its refund out of today as well.
      await app.db.dataSource.query(`UPDATE orders SET status = 'cancelled' WHERE external_id = 'F'`);
      await refreshRollups(app);
      const after = await get(app, '/api/comparison/today-vs-yesterday').expect(200);
      expect(after.body.today).toEqual({
        from: '2026-03-31T00:00:00+02:00',
        to: NOW,
        orders: 4,
        revenue: 95.49,
        aov: 23.87,
      });
      expect(after.body.yesterday).toEqual({
        from: '2026-03-30T00:00:00+02:00',
        to: '2026-03-30T14:30:00+02:00',
        orders: 0,
        revenue: 0,
        aov: null,
      });
      expect(after.body.change).toEqual({ orders: null, revenue: null, aov: null });
      const countriesAfter = await get(app, '/api/countries').expect(200);
      // US keeps B (50) and loses F; M1's refund of 50 in March still counts.
      expect(countriesAfter.body.countries).toContainEqual({
        country: 'US',
        ...compared(1, 0, [3, 220], [-66.67, -100]),
      });
    });
  });

  describe('query validation', () => {
    it.each([
      ['/api/growth/daily', { days: 0 }, 'days must not be less than 1'],
      ['/api/growth/daily', { days: 'abc' }, 'days must be a whole number written in digits, like 30'],
      ['/api/growth/daily', { days: 100000 }, 'days must not be greater than 731'],
      ['/api/growth/weekly', { weeks: 1.5 }, 'weeks must be a whole number written in digits, like 30'],
      ['/api/growth/monthly', { months: 37 }, 'months must not be greater than 36'],
      ['/api/countries', { limit: 0 }, 'limit must not be less than 1'],
      ['/api/countries', { sort: 'price' }, 'sort must be one of the following values: orders, revenue'],
      ['/api/revenue/platforms', { days: -1 }, 'days must not be less than 1'],
      ['/api/comparison/range', { from: '2026-03-31', to: '2026-03-01' }, 'from must not be after to'],
      [
        '/api/comparison/yoy',
        { from: '2026-03-02T10:00:00+01:00', to: '2026-03-02T09:00:00+01:00' },
        'from must not be after to',
      ],
      [
        '/api/comparison/range',
        { from: '2026-02-30', to: '2026-03-01' },
        'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ],
      [
        '/api/comparison/range',
        { from: '2026-03-01', to: 'tomorrow' },
        'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ],
      [
        '/api/comparison/range',
        { to: '2026-03-01' },
        'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ],
      [
        '/api/metrics/summary',
        { now: 'noon' },
        'now must be an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00',
      ],
      ['/api/comparison/week-vs-lastweek', { week: 1 }, 'property week should not exist'],
    ])('%s %j → 400', async (path, query, message) => {
      const res = await get(app, path, query).expect(400);
      expect(res.body.message).toContain(message);
    });
  });

  describe('one grammar for counts, instants and ids, on every endpoint', () => {
    type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
    const admin = (method: Method, path: string, query: Record<string, string> = {}) =>
      app.as('admin')[method](path).query(query);

    it.each([
      ['/api/growth/daily', 'days', ' 5'],
      ['/api/growth/daily', 'days', '1e1'],
      ['/api/growth/weekly', 'weeks', '0x10'],
      ['/api/growth/monthly', 'months', '5.0'],
      ['/api/countries', 'days', '+5'],
      ['/api/countries', 'limit', '1e1'],
      ['/api/revenue/platforms', 'days', '0b11'],
      ['/api/spotify/minutes', 'weeks', ' 5'],
      ['/api/spotify/countries', 'weeks', '1e1'],
      ['/api/alerts/events', 'limit', '0x10'],
      ['/api/upload/history', 'limit', '1e1'],
    ])('GET %s?%s=%j → 400 naming it', async (path, name, value) => {
      const res = await admin('get', path, { [name]: value }).expect(400);
      expect(res.body.message).toEqual([`${name} must be a whole number written in digits, like 30`]);
    });

    it('plain digits are taken, leading zeros too', async () => {
      const res = await admin('get', '/api/growth/daily', { now: NOW, days: '004' }).expect(200);
      expect(res.body.days).toHaveLength(4);
      await admin('get', '/api/alerts/events', { limit: '10' }).expect(200);
    });

    it.each([
      ['get', '/api/comparison/yoy', { from: '2026-03-30', to: '2026-03-31' }],
      ['get', '/api/comparison/range', { from: '2026-03-30', to: '2026-03-31' }],
      ['get', '/api/comparison/today-vs-yesterday', {}],
      ['get', '/api/metrics/summary', {}],
      ['get', '/api/growth/daily', {}],
      ['get', '/api/goals/current', {}],
      ['get', '/api/spotify/quarterly-projection', {}],
      ['post', '/api/alerts/check', {}],
    ] as const)('%s %s with a now without offset → 400 naming now', async (method, path, query) => {
      const res = await admin(method, path, { ...query, now: '2026-03-31T14:30:00' }).expect(400);
      expect(res.body.message).toEqual(['now must be an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00']);
    });

    it('from/to on 30 February or without an offset are refused by the exports as well', async () => {
      const res = await admin('get', '/api/export/orders', { from: '2026-02-30', to: '2026-03-31T10:00:00' });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([
        'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
        'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ]);
    });

    const rule = { kind: 'best_day' };
    it.each([
      ['get', '/api/alerts/99999999999999999999', undefined],
      ['put', '/api/alerts/9223372036854775808', rule],
      ['delete', '/api/alerts/9007199254740992', undefined],
      ['get', '/api/alerts/1e3', undefined],
      ['get', '/api/alerts/0', undefined],
      ['patch', '/api/users/99999999999999999999', { role: 'viewer' }],
      ['delete', '/api/users/-1', undefined],
      ['delete', '/api/auth/tokens/99999999999999999999', undefined],
    ] as const)('%s %s → 400 naming id, not a 500', async (method, path, body) => {
      const request = admin(method, path);
      const res = await (body ? request.send(body) : request);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['id must be a whole number from 1 to 9007199254740991']);
    });

    it('the largest id taken is a 404 when there is no such row', async () => {
      const res = await admin('get', '/api/alerts/9007199254740991').expect(404);
      expect(res.body.message).toBe('alert rule 9007199254740991 does not exist');
      await admin('delete', '/api/auth/tokens/9007199254740991').expect(404);
      await admin('delete', '/api/users/9007199254740991').expect(404);
    });
  });
});

/**
 * Issue 11: switching on "Year over year" on 1 December at 08:34 compared the orders so far today with
 * the whole of the same day a year earlier. A range that reaches into the future is cut at now, and its
 * comparison at the same wall-clock offset from its start.
 */
describe('ranges that reach into the future: cut at now, the comparison at the same point', () => {
  const DEC_NOW = '2026-12-01T08:34:00+01:00';
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    // key, created_at, total: today (Tuesday), the Tuesday 364 days earlier, and yesterday.
    const orders: Array<[string, string, string]> = [
      ['today-midnight', '2026-12-01T00:00:00+01:00', '10.00'],
      ['today-before-now', '2026-12-01T08:33:59+01:00', '20.00'],
      ['today-at-now', '2026-12-01T08:34:00+01:00', '1000.00'],
      ['today-evening', '2026-12-01T20:00:00+01:00', '1000.00'],
      ['yoy-midnight', '2025-12-02T00:00:00+01:00', '5.00'],
      ['yoy-before-point', '2025-12-02T08:33:59+01:00', '15.00'],
      ['yoy-at-point', '2025-12-02T08:34:00+01:00', '500.00'],
      ['yoy-evening', '2025-12-02T20:00:00+01:00', '500.00'],
      ['yesterday-before-point', '2026-11-30T08:33:59+01:00', '7.00'],
      ['yesterday-at-point', '2026-11-30T08:34:00+01:00', '700.00'],
    ];
    for (const [key, createdAt, total] of orders) {
      await app.db.dataSource.query(
        `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
         VALUES ('shopify', $1, $2, 'USD', $3, $3, 'DE', 'paid')`,
        [key, createdAt, total],
      );
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const compare = (path: string, from: string, to: string) =>
    app.as('viewer').get(path).query({ now: DEC_NOW, from, to }).expect(200);

  it.each([
    ['1 December', '2026-12-01', '2026-12-01'],
    ['this month', '2026-12-01', '2026-12-31'],
  ])('GET /api/comparison/yoy, %s: 00:00–08:34 against the same 8 h 34 min a year earlier', async (_n, from, to) => {
    const res = await compare('/api/comparison/yoy', from, to);
    expect(res.body).toEqual({
      timezone: 'Europe/Berlin',
      currency: 'USD',
      asOf: DEC_NOW,
      current: { from: '2026-12-01T00:00:00+01:00', to: DEC_NOW, orders: 2, revenue: 30, aov: 15 },
      previous: { from: '2025-12-02T00:00:00+01:00', to: '2025-12-02T08:34:00+01:00', orders: 2, revenue: 20, aov: 10 },
      change: { orders: 0, revenue: 50, aov: 50 },
      warnings: [],
    });
  });

  it('GET /api/comparison/range, 1 December: against 30 November until 08:34', async () => {
    const res = await compare('/api/comparison/range', '2026-12-01', '2026-12-01');
    expect(res.body).toEqual({
      timezone: 'Europe/Berlin',
      currency: 'USD',
      asOf: DEC_NOW,
      current: { from: '2026-12-01T00:00:00+01:00', to: DEC_NOW, orders: 2, revenue: 30, aov: 15 },
      previous: { from: '2026-11-30T00:00:00+01:00', to: '2026-11-30T08:34:00+01:00', orders: 1, revenue: 7, aov: 7 },
      change: { orders: 100, revenue: 328.57, aov: 114.29 },
      warnings: [],
    });
  });

  it('GET /api/comparison/range of instants: cut at now, the range before by the same elapsed time', async () => {
    const res = await compare('/api/comparison/range', '2026-12-01T06:00:00+01:00', '2026-12-01T12:00:00+01:00');
    expect(res.body.current).toEqual({
      from: '2026-12-01T06:00:00+01:00',
      to: DEC_NOW,
      orders: 1,
      revenue: 20,
      aov: 20,
    });
    expect(res.body.previous).toEqual({
      from: '2026-12-01T00:00:00+01:00',
      to: '2026-12-01T02:34:00+01:00',
      orders: 1,
      revenue: 10,
      aov: 10,
    });
  });

  it.each([
    ['/api/comparison/yoy', '2025-12-03T00:00:00+01:00'],
    ['/api/comparison/range', '2026-11-30T00:00:00+01:00'],
  ])('GET %s of a range that starts after now: empty, and so is its comparison', async (path, previousFrom) => {
    const res = await compare(path, '2026-12-02', '2026-12-03');
    expect(res.body.current).toEqual({
      from: '2026-12-02T00:00:00+01:00',
      to: '2026-12-02T00:00:00+01:00',
      orders: 0,
      revenue: 0,
      aov: null,
    });
    expect(res.body.previous).toEqual({ from: previousFrom, to: previousFrom, orders: 0, revenue: 0, aov: null });
    expect(res.body.change).toEqual({ orders: null, revenue: null, aov: null });
  });

  it('GET /api/comparison/yoy of a range that ended before now: compared in full', async () => {
    const res = await app
      .as('viewer')
      .get('/api/comparison/yoy')
      .query({ now: '2026-12-02T00:00:00+01:00', from: '2026-12-01', to: '2026-12-01' })
      .expect(200);
    expect(res.body.current).toEqual({
      from: '2026-12-01T00:00:00+01:00',
      to: '2026-12-02T00:00:00+01:00',
      orders: 4,
      revenue: 2030,
      aov: 507.5,
    });
    expect(res.body.previous).toEqual({
      from: '2025-12-02T00:00:00+01:00',
      to: '2025-12-03T00:00:00+01:00',
      orders: 4,
      revenue: 1020,
      aov: 255,
    });
  });
});

describe('sales analytics API with REFUND_ATTRIBUTION=order_date', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { REFUND_ATTRIBUTION: 'order_date' } });
    await insertFixtures(app);
  });
  afterAll(async () => {
    await app.close();
  });

  describe.each([
    ['read from the orders', false],
    ['read from the rollups', true],
  ])('%s', (_name, refreshed) => {
    beforeAll(async () => {
      if (refreshed) await refreshRollups(app);
    });

    it('refunds lower the day of their order', async () => {
      const res = await get(app, '/api/comparison/today-vs-yesterday').expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        asOf: NOW,
        today: { from: '2026-03-31T00:00:00+02:00', to: NOW, orders: 3, revenue: 85.5, aov: 28.5 },
        yesterday: {
          from: '2026-03-30T00:00:00+02:00',
          to: '2026-03-30T14:30:00+02:00',
          orders: 1,
          revenue: 25,
          aov: 25,
        },
        yesterdayFullDay: {
          from: '2026-03-30T00:00:00+02:00',
          to: '2026-03-31T00:00:00+02:00',
          orders: 3,
          revenue: 185,
          aov: 61.67,
        },
        change: { orders: 200, revenue: 242, aov: 14 },
        // B's unconvertible refund now belongs to B's day, today.
        warnings: WARNINGS,
      });
    });

    it('February carries the refund of its order made in March', async () => {
      const res = await get(app, '/api/growth/monthly', { months: 2 }).expect(200);
      expect(res.body.months).toEqual([
        { month: '2026-02', orders: 1, revenue: 150, aov: 150, revenueChange: 2900 },
        { month: '2026-03', orders: 11, revenue: 440.5, aov: 40.05, revenueChange: 193.67 },
      ]);
      const countries = await get(app, '/api/countries').expect(200);
      // US: F (40, refunded 15) and B (50); M1's refund belongs to February.
      // Before: M0, M1 less its refund, M2.
      expect(countries.body.countries).toContainEqual({
        country: 'US',
        ...compared(2, 75, [3, 170], [-33.33, -55.88]),
      });
    });
  });
});

describe('a business zone with a half-hour offset (Asia/Kolkata)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { BUSINESS_TIMEZONE: 'Asia/Kolkata' } });
    // Local midnight is 18:30Z, in the middle of a rollup hour.
    await app.db.dataSource.query(`
      INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status) VALUES
        ('shopify', 'k1', '2026-03-30T23:59:59+05:30', 'USD', 1.00, 1.00, 'IN', 'paid'),
        ('shopify', 'k2', '2026-03-31T00:00:00+05:30', 'USD', 2.00, 2.00, 'IN', 'paid'),
        ('shopify', 'k3', '2026-03-31T00:15:00+05:30', 'USD', 4.00, 4.00, 'IN', 'paid'),
        ('shopify', 'k4', '2026-03-31T11:59:00+05:30', 'USD', 8.00, 8.00, 'IN', 'paid'),
        ('shopify', 'k5', '2026-03-31T12:00:00+05:30', 'USD', 16.00, 16.00, 'IN', 'paid')`);
    await refreshRollups(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['rollups built in this zone', 'Asia/Kolkata'],
    ['rollups built in another zone (read from the orders)', 'Europe/Berlin'],
    ['rollups rebuilt in this zone', 'Asia/Kolkata'],
  ])('splits days at local midnight: %s', async (_name, rollupZone) => {
    await app.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [rollupZone]);
    const res = await app
      .as('viewer')
      .get('/api/growth/daily')
      .query({ now: '2026-03-31T12:00:00+05:30', days: 2 })
      .expect(200);
    expect(res.body.days).toEqual([
      { date: '2026-03-30', orders: 1, revenue: 1, aov: 1, aovChange: null },
      { date: '2026-03-31', orders: 3, revenue: 14, aov: 4.67, aovChange: 366.67 },
    ]);
    const month = await app
      .as('viewer')
      .get('/api/comparison/month-vs-lastmonth')
      .query({ now: '2026-03-31T12:00:00+05:30' })
      .expect(200);
    expect(month.body.current).toEqual({
      from: '2026-03-01T00:00:00+05:30',
      to: '2026-03-31T12:00:00+05:30',
      orders: 4,
      revenue: 15,
      aov: 3.75,
    });
  });

  it('groups countries by local day, also right after the rollups were built for another zone', async () => {
    const expected = [{ country: 'IN', ...compared(4, 15) }];
    const query = { now: '2026-03-31T12:00:00+05:30', days: 2 };
    const res = await app.as('viewer').get('/api/countries').query(query).expect(200);
    expect(res.body.countries).toEqual(expected);
    await app.db.dataSource.query(`SELECT refresh_order_rollups('Europe/Berlin')`);
    const stale = await app.as('viewer').get('/api/countries').query(query).expect(200);
    expect(stale.body.countries).toEqual(expected);
    await refreshRollups(app);
    const rebuilt = await app.as('viewer').get('/api/countries').query(query).expect(200);
    expect(rebuilt.body.countries).toEqual(expected);
  });
});

describe('the test clock outside tests', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { ALLOW_TEST_CLOCK: 'false' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses now, and uses the real time without it', async () => {
    const refused = await app.as('viewer').get('/api/comparison/today-vs-yesterday').query({ now: NOW }).expect(400);
    expect(refused.body.message).toEqual(['now is only accepted in tests']);
    const res = await app.as('viewer').get('/api/comparison/today-vs-yesterday').expect(200);
    expect(res.body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+0[12]:00$/);
    expect(res.body.today.orders).toBe(0);
  });
});
