import { FixtureOrder, insertSalesFixtures } from '../../apps/api/test/sales-fixtures';
import { createTestApp, TestApp } from '../../apps/api/test/test-app';

/** Tuesday 31 March 2026, 14:30 in Berlin: orders today, yesterday, last week, last month and a year ago. */
const NOW = '2026-03-31T14:30:00+02:00';

const ORDERS: FixtureOrder[] = [
  ['A', 'shopify', '2026-03-31T09:15:00+02:00', 'USD', '25.50', '25.50', 'DE', 'paid', false],
  ['B', 'etsy', '2026-03-31T14:29:59+02:00', 'USD', '10.00', '10.00', 'GB', 'paid', false],
  ['C', 'shopify', '2026-03-30T11:00:00+02:00', 'USD', '40.00', '40.00', 'US', 'paid', false],
  ['D', 'woocommerce', '2026-03-30T20:00:00+02:00', 'USD', '60.00', '60.00', 'US', 'paid', false],
  ['E', 'shopify', '2026-03-24T10:00:00+01:00', 'USD', '35.00', '35.00', 'GB', 'paid', false],
  ['F', 'shopify', '2026-02-27T12:00:00+01:00', 'USD', '200.00', '200.00', 'US', 'paid', false],
  ['G', 'shopify', '2025-04-01T12:00:00+02:00', 'USD', '100.00', '100.00', 'US', 'paid', false],
];

describe('GET /api/first-screen', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    await insertSalesFixtures(app, ORDERS, []);
  });
  afterAll(async () => {
    await app.close();
  });

  it('requires authentication', async () => {
    await app.anonymous().get('/api/first-screen').query({ now: NOW }).expect(401);
  });

  it('answers, part by part, what the first screen would otherwise ask six endpoints for', async () => {
    const one = (path: string, query: Record<string, string | number> = {}) =>
      app
        .as('viewer')
        .get(path)
        .query({ now: NOW, ...query })
        .expect(200)
        .then((res) => res.body as unknown);
    const [firstScreen, todayVsYesterday, hourly, summary, weekly, monthly, daily] = await Promise.all([
      one('/api/first-screen'),
      one('/api/comparison/today-vs-yesterday'),
      one('/api/growth/hourly'),
      one('/api/metrics/summary'),
      one('/api/growth/weekly', { weeks: 13 }),
      one('/api/growth/monthly', { months: 13 }),
      one('/api/growth/daily', { days: 31 }),
    ]);
    expect(firstScreen).toEqual({ todayVsYesterday, hourly, summary, weekly, monthly, daily });
    // Not six empty answers that happen to agree: the fixtures are in them.
    expect(todayVsYesterday).toMatchObject({ asOf: NOW, today: { orders: 2, revenue: 35.5 } });
    expect((weekly as { weeks: unknown[] }).weeks).toHaveLength(13);
    expect((monthly as { months: unknown[] }).months).toHaveLength(13);
    expect((daily as { days: unknown[] }).days).toHaveLength(31);
  });

  it('refuses a now without offset, naming it', async () => {
    const res = await app.as('viewer').get('/api/first-screen').query({ now: '2026-03-31T14:30:00' }).expect(400);
    expect(res.body.message).toEqual(['now must be an ISO 8601 instant with offset, like 2026-03-31T14:30:00+02:00']);
  });
});
