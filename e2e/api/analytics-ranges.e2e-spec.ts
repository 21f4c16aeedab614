import type { GrowthDay, HourFigures } from '@mt/contracts';
import { compared, FixtureOrder, FixtureRefund, insertSalesFixtures } from '../../apps/api/test/sales-fixtures';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

/**
 * The hero's hourly chart and the chosen range of the page (issue 16) through HTTP on a real PostgreSQL.
 * Now is Tuesday 31 March 2026, 14:30 in Berlin; Sunday 29 March had 23 hours, Sunday 25 October 25.
 */
const NOW = '2026-03-31T14:30:00+02:00';

const ORDERS: FixtureOrder[] = [
  ['a', 'shopify', '2026-03-31T00:00:00+02:00', 'USD', '10.00', '10.00', 'GB', 'paid', false], // midnight
  ['b', 'etsy', '2026-03-31T00:59:59+02:00', 'USD', '20.00', '20.00', 'US', 'paid', false], // still hour 0
  ['c', 'shopify', '2026-03-31T09:15:00+02:00', 'USD', '30.00', '30.00', 'GB', 'paid', false],
  ['d', 'woocommerce', '2026-03-31T14:29:59+02:00', 'USD', '40.00', '40.00', 'DE', 'processing', false], // 1 s before now
  ['e', 'shopify', '2026-03-31T14:30:00+02:00', 'USD', '1000.00', '1000.00', 'GB', 'paid', false], // at now: not yet
  ['x', 'shopify', '2026-03-31T10:00:00+02:00', 'USD', '500.00', '500.00', 'GB', 'cancelled', false],
  ['f', 'shopify', '2026-03-30T08:00:00+02:00', 'USD', '50.00', '50.00', 'US', 'paid', false],
  ['g', 'etsy', '2026-03-30T14:29:00+02:00', 'USD', '5.00', '5.00', 'GB', 'paid', false], // before the same point
  ['h', 'etsy', '2026-03-30T14:30:00+02:00', 'USD', '7.00', '7.00', 'GB', 'paid', false], // at the same point
  ['i', 'shopify', '2026-03-30T23:59:59+02:00', 'USD', '3.00', '3.00', 'US', 'paid', false],
  ['w1', 'shopify', '2026-03-24T10:00:00+01:00', 'USD', '8.00', '8.00', 'FR', 'paid', false], // a week before
  ['w2', 'shopify', '2026-03-24T15:00:00+01:00', 'USD', '9.00', '9.00', 'FR', 'paid', false], // after its point
  ['y1', 'shopify', '2025-04-01T13:00:00+02:00', 'USD', '100.00', '100.00', 'US', 'paid', false], // 364 days before
  ['y2', 'etsy', '2025-04-01T20:00:00+02:00', 'USD', '9.00', '9.00', 'US', 'paid', false],
  ['s1', 'shopify', '2026-03-29T01:59:59+01:00', 'USD', '11.00', '11.00', 'FR', 'paid', false], // before the gap
  ['s2', 'shopify', '2026-03-29T03:00:00+02:00', 'USD', '12.00', '12.00', 'FR', 'paid', false], // right after it
  ['o1', 'shopify', '2026-10-25T02:30:00+02:00', 'USD', '21.00', '21.00', 'GB', 'paid', false], // the first 02:30
  ['o2', 'shopify', '2026-10-25T02:30:00+01:00', 'USD', '22.00', '22.00', 'GB', 'paid', false], // the second
];

// f (yesterday's order) refunded today at 11:20: today's hour 11 by refund date, yesterday's hour 8 by order date.
const REFUNDS: FixtureRefund[] = [
  ['f', '2026-03-31T11:20:00+02:00', '15.00', '15.00'],
  ['x', '2026-03-31T11:00:00+02:00', '500.00', '500.00'], // of a cancelled order: ignored
];

function get(app: TestApp, path: string, query: Record<string, string | number> = {}) {
  return app
    .as('viewer')
    .get(path)
    .query({ now: NOW, ...query });
}

async function refreshRollups(app: TestApp): Promise<void> {
  await app.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [app.config.businessTimezone]);
}

/** The hours of a local day in Berlin at one offset, as [hour, start] pairs, `skip`ped hours left out. */
function berlinHours(date: string, offset: string, from = 0, to = 23): Array<[number, string]> {
  const hours: Array<[number, string]> = [];
  for (let hour = from; hour <= to; hour++)
    hours.push([hour, `${date}T${String(hour).padStart(2, '0')}:00:00${offset}`]);
  return hours;
}

/** The entries of an hourly list with these (hour, start) pairs, and figures only where given. */
function hours(
  starts: Array<[number, string]>,
  figures: Record<string, [orders: number, revenue: number]>,
): HourFigures[] {
  let cumulative = 0;
  return starts.map(([hour, start]) => {
    const [orders, revenue] = figures[start] ?? [0, 0];
    cumulative = Math.round((cumulative + revenue) * 100) / 100;
    return { hour, start, orders, revenue, cumulativeRevenue: cumulative };
  });
}

const cents = (list: GrowthDay[]): number => list.reduce((sum, day) => sum + Math.round(day.revenue * 100), 0);

describe.each([
  ['refund_date', 'read from the orders', false],
  ['refund_date', 'read from the rollups', true],
  ['order_date', 'read from the orders', false],
  ['order_date', 'read from the rollups', true],
] as const)('GET /api/growth/hourly, REFUND_ATTRIBUTION=%s, %s', (attribution, _name, refreshed) => {
  let app: TestApp;
  const byRefundDate = attribution === 'refund_date';

  beforeAll(async () => {
    app = await createTestApp({ env: { REFUND_ATTRIBUTION: attribution } });
    await insertSalesFixtures(app, ORDERS, REFUNDS);
    if (refreshed) await refreshRollups(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('today by hour up to now, yesterday whole, and yesterday up to the same point', async () => {
    const res = await get(app, '/api/growth/hourly').expect(200);
    expect(res.body).toEqual({
      timezone: 'Europe/Berlin',
      currency: 'USD',
      asOf: NOW,
      date: '2026-03-31',
      compare: 'previous',
      // Hours 0 to 14, the last one so far; e is at now, x is cancelled (its refund too).
      hours: hours(berlinHours('2026-03-31', '+02:00', 0, 14), {
        '2026-03-31T00:00:00+02:00': [2, 30],
        '2026-03-31T09:00:00+02:00': [1, 30],
        ...(byRefundDate ? { '2026-03-31T11:00:00+02:00': [0, -15] } : {}),
        '2026-03-31T14:00:00+02:00': [1, 40],
      }),
      comparison: {
        date: '2026-03-30',
        hours: hours(berlinHours('2026-03-30', '+02:00'), {
          '2026-03-30T08:00:00+02:00': [1, byRefundDate ? 50 : 35],
          '2026-03-30T14:00:00+02:00': [2, 12],
          '2026-03-30T23:00:00+02:00': [1, 3],
        }),
        // f and g; h is at the same point.
        samePoint: {
          from: '2026-03-30T00:00:00+02:00',
          to: '2026-03-30T14:30:00+02:00',
          orders: 2,
          revenue: byRefundDate ? 55 : 40,
          aov: byRefundDate ? 27.5 : 20,
        },
      },
      warnings: [],
    });
  });

  it('ends where today-vs-yesterday stands at the same now', async () => {
    const hourly = (await get(app, '/api/growth/hourly').expect(200)).body;
    const comparison = (await get(app, '/api/comparison/today-vs-yesterday').expect(200)).body;
    expect(hourly.hours.at(-1).cumulativeRevenue).toBe(comparison.today.revenue);
    expect(hourly.comparison.samePoint).toEqual(comparison.yesterday);
    expect(hourly.comparison.hours.at(-1).cumulativeRevenue).toBe(comparison.yesterdayFullDay.revenue);
    expect(comparison.today.revenue).toBe(byRefundDate ? 85 : 100);
  });

  it('compare=yoy: the Tuesday 364 days earlier, up to the same point', async () => {
    const res = await get(app, '/api/growth/hourly', { compare: 'yoy' }).expect(200);
    expect(res.body.compare).toBe('yoy');
    expect(res.body.comparison).toEqual({
      date: '2025-04-01',
      hours: hours(berlinHours('2025-04-01', '+02:00'), {
        '2025-04-01T13:00:00+02:00': [1, 100],
        '2025-04-01T20:00:00+02:00': [1, 9],
      }),
      samePoint: {
        from: '2025-04-01T00:00:00+02:00',
        to: '2025-04-01T14:30:00+02:00',
        orders: 1,
        revenue: 100,
        aov: 100,
      },
    });
    const yoy = await get(app, '/api/comparison/yoy', { from: '2026-03-31', to: '2026-03-31' }).expect(200);
    expect(res.body.comparison.samePoint).toEqual(yoy.body.previous);
  });
});

describe('hours and chosen ranges on one data set', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    await insertSalesFixtures(app, ORDERS, REFUNDS);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /api/growth/hourly on DST days and in the future', () => {
    it('the spring day has 23 hours: 02:00 does not exist', async () => {
      const res = await get(app, '/api/growth/hourly', { date: '2026-03-29' }).expect(200);
      expect(res.body.hours).toEqual(
        hours([...berlinHours('2026-03-29', '+01:00', 0, 1), ...berlinHours('2026-03-29', '+02:00', 3, 23)], {
          '2026-03-29T01:00:00+01:00': [1, 11],
          '2026-03-29T03:00:00+02:00': [1, 12],
        }),
      );
      expect(res.body.hours).toHaveLength(23);
      // A past day is compared whole.
      expect(res.body.comparison.date).toBe('2026-03-28');
      expect(res.body.comparison.hours).toHaveLength(24);
      expect(res.body.comparison.samePoint).toMatchObject({
        from: '2026-03-28T00:00:00+01:00',
        to: '2026-03-29T00:00:00+01:00',
      });
    });

    it('the autumn day has 25 hours: 02:00 twice, told apart by the offset of its start', async () => {
      const res = await get(app, '/api/growth/hourly', {
        date: '2026-10-25',
        now: '2026-10-27T12:00:00+01:00',
      }).expect(200);
      expect(res.body.hours).toEqual(
        hours([...berlinHours('2026-10-25', '+02:00', 0, 2), ...berlinHours('2026-10-25', '+01:00', 2, 23)], {
          '2026-10-25T02:00:00+02:00': [1, 21],
          '2026-10-25T02:00:00+01:00': [1, 22],
        }),
      );
      expect(res.body.hours.map((h: HourFigures) => h.hour).slice(0, 5)).toEqual([0, 1, 2, 2, 3]);
      // The day after compares its 24 hours with those 25.
      const next = await get(app, '/api/growth/hourly', {
        date: '2026-10-26',
        now: '2026-10-27T12:00:00+01:00',
      }).expect(200);
      expect(next.body.hours).toHaveLength(24);
      expect(next.body.comparison.hours).toEqual(res.body.hours);
    });

    it('a day after today has no hours yet, and its comparison (today) is cut at now', async () => {
      const res = await get(app, '/api/growth/hourly', { date: '2026-04-01' }).expect(200);
      expect(res.body.hours).toEqual([]);
      expect(res.body.comparison.date).toBe('2026-03-31');
      expect(res.body.comparison.hours).toHaveLength(15);
      expect(res.body.comparison.hours.at(-1)).toEqual({
        hour: 14,
        start: '2026-03-31T14:00:00+02:00',
        orders: 1,
        revenue: 40,
        cumulativeRevenue: 85,
      });
      expect(res.body.comparison.samePoint).toEqual({
        from: '2026-03-31T00:00:00+02:00',
        to: '2026-03-31T00:00:00+02:00',
        orders: 0,
        revenue: 0,
        aov: null,
      });
    });

    it.each([
      [{ date: '2026-02-30' }, 'date must be a date (YYYY-MM-DD), like 2026-03-31'],
      [{ date: '2026-03-31T00:00:00+02:00' }, 'date must be a date (YYYY-MM-DD), like 2026-03-31'],
      [{ compare: 'week' }, 'compare must be one of the following values: previous, yoy'],
    ])('%j → 400 naming it', async (query, message) => {
      const res = await get(app, '/api/growth/hourly', query).expect(400);
      expect(res.body.message).toEqual([message]);
    });
  });

  describe('the chosen range: from/to and compare on every period endpoint', () => {
    it('GET /api/growth/daily of a week reaching into the future: cut at now, and so is the week before', async () => {
      const res = await get(app, '/api/growth/daily', { from: '2026-03-30', to: '2026-04-05' }).expect(200);
      expect(res.body).toEqual({
        timezone: 'Europe/Berlin',
        currency: 'USD',
        from: '2026-03-30T00:00:00+02:00',
        to: NOW,
        compare: 'previous',
        previous: { from: '2026-03-23T00:00:00+01:00', to: '2026-03-24T14:30:00+01:00' },
        days: [
          // The AOV's base is the day before, 29 March (s1, s2: 23 / 2).
          { date: '2026-03-30', orders: 4, revenue: 65, aov: 16.25, aovChange: 41.3 },
          { date: '2026-03-31', orders: 4, revenue: 85, aov: 21.25, aovChange: 30.77 },
        ],
        // w2 is after the same point on its Tuesday.
        comparisonDays: [
          { date: '2026-03-23', orders: 0, revenue: 0, aov: null, aovChange: null },
          { date: '2026-03-24', orders: 1, revenue: 8, aov: 8, aovChange: null },
        ],
        warnings: [],
      });
    });

    it.each([
      ['/api/comparison/range', 'previous', '2026-03-30', '2026-04-05'],
      ['/api/comparison/yoy', 'yoy', '2026-03-30', '2026-04-05'],
      ['/api/comparison/range', 'previous', '2026-03-01', '2026-03-31'],
      ['/api/comparison/yoy', 'yoy', '2026-03-31T09:00:00+02:00', '2026-03-31T12:00:00+02:00'],
    ])('GET /api/growth/daily adds up, day by day, to %s (compare=%s) of %s – %s', async (path, compare, from, to) => {
      const daily = (await get(app, '/api/growth/daily', { from, to, compare }).expect(200)).body;
      const range = (await get(app, path, { from, to }).expect(200)).body;
      expect({ from: daily.from, to: daily.to }).toEqual({ from: range.current.from, to: range.current.to });
      expect(daily.previous).toEqual({ from: range.previous.from, to: range.previous.to });
      expect(cents(daily.days)).toBe(Math.round(range.current.revenue * 100));
      expect(cents(daily.comparisonDays)).toBe(Math.round(range.previous.revenue * 100));
      expect(daily.days.reduce((n: number, d: GrowthDay) => n + d.orders, 0)).toBe(range.current.orders);
      expect(daily.comparisonDays.reduce((n: number, d: GrowthDay) => n + d.orders, 0)).toBe(range.previous.orders);
    });

    it('GET /api/growth/daily of a range of instants: its one day holds only the hours inside it', async () => {
      const res = await get(app, '/api/growth/daily', {
        from: '2026-03-31T09:00:00+02:00',
        to: '2026-03-31T12:00:00+02:00',
      }).expect(200);
      // c at 09:15, less f's refund at 11:20; the AOV's base is the whole day before (65 / 4).
      expect(res.body.days).toEqual([{ date: '2026-03-31', orders: 1, revenue: 15, aov: 15, aovChange: -7.69 }]);
      expect(res.body.previous).toEqual({ from: '2026-03-31T06:00:00+02:00', to: '2026-03-31T09:00:00+02:00' });
      expect(res.body.comparisonDays).toEqual([
        { date: '2026-03-31', orders: 0, revenue: 0, aov: null, aovChange: null },
      ]);
    });

    it('GET /api/growth/daily?compare=yoy: the same weekdays 364 days earlier, cut at the same point', async () => {
      const res = await get(app, '/api/growth/daily', { from: '2026-03-30', to: '2026-03-31', compare: 'yoy' });
      expect(res.status).toBe(200);
      expect(res.body.previous).toEqual({ from: '2025-03-31T00:00:00+02:00', to: '2025-04-01T14:30:00+02:00' });
      expect(res.body.comparisonDays).toEqual([
        { date: '2025-03-31', orders: 0, revenue: 0, aov: null, aovChange: null },
        { date: '2025-04-01', orders: 1, revenue: 100, aov: 100, aovChange: null },
      ]);
    });

    it('GET /api/countries?from=&to=&compare=yoy', async () => {
      const res = await get(app, '/api/countries', { from: '2026-03-30', to: '2026-03-31', compare: 'yoy' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        currency: 'USD',
        from: '2026-03-30T00:00:00+02:00',
        to: NOW,
        compare: 'yoy',
        previous: { from: '2025-03-31T00:00:00+02:00', to: '2025-04-01T14:30:00+02:00' },
        countries: [
          // a, c, g, h (x cancelled, e at now).
          { country: 'GB', ...compared(4, 52) },
          // b, f, i, less f's refund; y1 a year before.
          { country: 'US', ...compared(3, 58, [1, 100], [200, -42]) },
          { country: 'DE', ...compared(1, 40) },
        ],
        warnings: [],
      });
    });

    it('GET /api/revenue/platforms?from=&to=: each platform with the range before it', async () => {
      const res = await get(app, '/api/revenue/platforms', { from: '2026-03-31', to: '2026-03-31' }).expect(200);
      expect(res.body.from).toBe('2026-03-31T00:00:00+02:00');
      expect(res.body.to).toBe(NOW);
      expect(res.body.compare).toBe('previous');
      expect(res.body.previous).toEqual({ from: '2026-03-30T00:00:00+02:00', to: '2026-03-30T14:30:00+02:00' });
      expect(res.body.platforms).toEqual([
        // a, c, less f's refund; f before.
        { platform: 'shopify', status: 'active', ...compared(2, 25, [1, 50], [100, -50]) },
        // b; g before (h is at the point).
        { platform: 'etsy', status: 'active', ...compared(1, 20, [1, 5], [0, 300]) },
        { platform: 'woocommerce', status: 'active', ...compared(1, 40) },
        { platform: 'amazon', status: 'coming_soon', ...compared(0, 0) },
        { platform: 'ebay', status: 'coming_soon', ...compared(0, 0) },
      ]);
    });

    it.each(['previous', 'yoy'])(
      'GET /api/metrics/summary?from=&to=&compare=%s: the chosen range as the comparison endpoint has it',
      async (compare) => {
        const query = { from: '2026-03-30', to: '2026-04-05' };
        const summary = (await get(app, '/api/metrics/summary', { ...query, compare }).expect(200)).body;
        const path = compare === 'yoy' ? '/api/comparison/yoy' : '/api/comparison/range';
        const range = (await get(app, path, query).expect(200)).body;
        expect(summary.range).toEqual({
          current: range.current,
          previous: range.previous,
          change: range.change,
          compare,
        });
        const plain = (await get(app, '/api/metrics/summary').expect(200)).body;
        expect(plain.range).toBeNull();
        expect({ ...summary, range: null }).toEqual(plain);
      },
    );

    it.each([
      [
        '/api/growth/daily',
        { from: '2026-03-01' },
        'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ],
      ['/api/countries', { to: '2026-03-01' }, 'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset'],
      ['/api/revenue/platforms', { from: '2026-03-31', to: '2026-03-01' }, 'from must not be after to'],
      ['/api/growth/daily', { from: '2024-01-01', to: '2026-03-31' }, 'from and to must be at most 731 days apart'],
      [
        '/api/growth/daily',
        { days: 7, from: '2026-03-01', to: '2026-03-31' },
        'days cannot be combined with from and to',
      ],
      ['/api/countries', { compare: 'lastyear' }, 'compare must be one of the following values: previous, yoy'],
      [
        '/api/metrics/summary',
        { from: '2026-02-30', to: '2026-03-01' },
        'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      ],
      ['/api/metrics/summary', { days: 30 }, 'property days should not exist'],
    ])('GET %s %j → 400 naming it', async (path, query, message) => {
      const res = await get(app, path, query).expect(400);
      expect(res.body.message).toEqual([message]);
    });
  });
});
