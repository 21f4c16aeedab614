import type { FxStatusResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { OrderIngestService } from '../orders/order-ingest.service';
import { DomainEvents } from '../realtime/domain-events';
import { isMetricsPush } from '../realtime/metrics-push';
import { convert, crossRate, EcbTestServer, order } from './fixtures/fx-fixtures';
import { FxService } from './fx.service';

/**
 * The ECB fetch against a loopback server answering with the ECB's own files (FORMATS.md §8): history
 * on the first run, the daily file after; cross rates through EUR into USD; a day without ZAR, the
 * Easter gap and a weekend; a failing server, a file cut short, and one fetch at a time.
 */
describe('exchange rates from the ECB (integration, local ECB server)', () => {
  const ecb = new EcbTestServer();
  let t: TestApp;
  let events: string[];

  // usd/zar per EUR of the fixture days; the rate of X in USD is USD/X.
  const ZAR = {
    '2025-04-11': crossRate('1.1214', '21.9950'),
    '2025-04-16': crossRate('1.1355', '21.3820'),
    '2025-04-22': crossRate('1.1472', '21.4920'),
    '2025-04-23': crossRate('1.1346', '21.2530'),
    '2025-04-24': crossRate('1.1386', '21.1470'),
  };
  const GBP_0423 = crossRate('1.1346', '0.85420');

  const baseTotals = async () =>
    Object.fromEntries(
      (await t.db.dataSource.query(`SELECT external_id, base_total FROM orders ORDER BY external_id`)).map(
        (row: { external_id: string; base_total: string | null }) => [row.external_id, row.base_total],
      ),
    );
  const rateCount = async () => (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM fx_rates`))[0].n;

  beforeAll(async () => {
    const base = await ecb.start();
    t = await createTestApp({ env: { FX_RATES_URL: `${base}/stats/eurofxref/eurofxref-daily.xml` } });
    t.app.get(FxService).ecbRetry = { retries: 2, maxWaitMs: 5, timeoutMs: 10_000 };
    events = [];
    // What the rates announce; the figures pushed after orders are the realtime module's (metrics-push.ts).
    t.app.get(DomainEvents).events$.subscribe((event) => isMetricsPush(event) || events.push(event.name));
    // All in Europe/Berlin. Stored before any rate: every one waits.
    await t.app.get(OrderIngestService).ingestBatch([
      order('Z1', '2025-04-16T14:00:00+02:00', 'ZAR', '1499.00'),
      order('Z2', '2025-04-17T10:00:00+02:00', 'ZAR', '250.50'), // the ECB has no ZAR that day
      order('Z3', '2025-04-19T12:00:00+02:00', 'ZAR', '999.99'), // Easter Saturday: Thursday lacks ZAR, so Wednesday
      order('Z4', '2025-04-22T00:30:00+02:00', 'ZAR', '120.00'), // local day 22 April (21 April in UTC)
      order('Z5', '2025-04-13T23:30:00+02:00', 'ZAR', '75.25'), // Sunday: Friday's rate
      order('Z6', '2025-04-24T09:00:00+02:00', 'ZAR', '300.00'), // before the 24th's rate is published
      order('Z7', '2025-03-01T12:00:00+01:00', 'ZAR', '50.00'), // no rate within 7 days: keeps waiting
      order('G1', '2025-04-23T18:00:00+02:00', 'GBP', '42.43'),
      order('U1', '2025-04-16T09:00:00+02:00', 'USD', '19.99'), // the platform's own amount in the base currency
      {
        ...order('Z1', '2025-04-16T14:00:00+02:00', 'ZAR', '1499.00'),
        refunds: [{ externalId: 'r1', refundedAt: new Date('2025-04-22T10:00:00+02:00'), amount: '100.00' }],
      },
    ]);
    await t.db.dataSource.query(`SELECT refresh_order_rollups($1)`, [t.config.businessTimezone]);
  });

  afterAll(async () => {
    await t?.close();
    await ecb.stop();
  });

  it('requires authentication, and admin to fetch now', async () => {
    await t.anonymous().get('/api/fx/status').expect(401);
    await t.as('viewer').post('/api/fx/refresh').expect(403);
  });

  it('reports a source never fetched as pending, and every waiting currency', async () => {
    const status: FxStatusResponse = (await t.as('viewer').get('/api/fx/status').expect(200)).body;
    expect(status.fetch.status).toBe('pending');
    expect(status.currencies).toEqual([
      { currency: 'GBP', lastRateDate: null, lastRateSource: null, waitingOrders: 1, waitingRefunds: 0 },
      { currency: 'ZAR', lastRateDate: null, lastRateSource: null, waitingOrders: 7, waitingRefunds: 0 },
    ]);
  });

  it('fetches the full history on the first run (orders are older than 90 days) and converts every waiting order and refund in that transaction', async () => {
    const res = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(ecb.requests).toEqual(['/stats/eurofxref/eurofxref-hist.xml']);
    // 5 days × EUR, JPY, GBP, ZAR, but no ZAR on 17 April.
    expect(res.body).toMatchObject({ ran: true, inserted: 19, updated: 0, converted: { orders: 7, refunds: 1 } });
    expect(res.body.fetch).toMatchObject({ status: 'ok', lastError: null });
    expect(await baseTotals()).toEqual({
      G1: convert('42.43', GBP_0423),
      U1: '19.99',
      Z1: convert('1499.00', ZAR['2025-04-16']),
      Z2: convert('250.50', ZAR['2025-04-16']),
      Z3: convert('999.99', ZAR['2025-04-16']),
      Z4: convert('120.00', ZAR['2025-04-22']),
      Z5: convert('75.25', ZAR['2025-04-11']),
      Z6: convert('300.00', ZAR['2025-04-23']),
      Z7: null,
    });
    const [refund] = await t.db.dataSource.query(`SELECT base_amount FROM refunds`);
    expect(refund.base_amount).toBe(convert('100.00', ZAR['2025-04-22']));
    const [rate] = await t.db.dataSource.query(
      `SELECT rate::text, source, origin FROM fx_rates WHERE currency = 'ZAR' AND day = '2025-04-16'`,
    );
    expect(rate).toEqual({
      rate: ZAR['2025-04-16'],
      source: 'ecb',
      origin: `${t.config.fxRatesUrl!.replace('daily', 'hist')}`,
    });
    // EUR itself: 1 EUR = the USD quote.
    const [eur] = await t.db.dataSource.query(
      `SELECT rate::text FROM fx_rates WHERE currency = 'EUR' AND day = '2025-04-11'`,
    );
    expect(eur.rate).toBe('1.12140000000000');
    expect(events.filter((name) => name === 'metrics.changed')).toHaveLength(1);
    // The rollup hours of the converted orders and refund are marked for the refresh.
    const dirty = await t.db.dataSource.query(
      `SELECT DISTINCT to_char(hour AT TIME ZONE 'UTC', 'MM-DD HH24') AS hour FROM order_hourly_dirty ORDER BY 1`,
    );
    expect(dirty.map((row: { hour: string }) => row.hour)).toEqual(
      expect.arrayContaining([
        '04-16 12',
        '04-17 08',
        '04-19 10',
        '04-21 22',
        '04-13 21',
        '04-24 07',
        '04-23 16',
        '04-22 08',
      ]),
    );
  });

  it('says which currency and days still lack a rate', async () => {
    const status: FxStatusResponse = (await t.as('viewer').get('/api/fx/status').expect(200)).body;
    expect(status.currencies).toEqual([
      { currency: 'GBP', lastRateDate: '2025-04-23', lastRateSource: 'ecb', waitingOrders: 0, waitingRefunds: 0 },
      { currency: 'ZAR', lastRateDate: '2025-04-23', lastRateSource: 'ecb', waitingOrders: 1, waitingRefunds: 0 },
    ]);
    expect(status.warnings).toEqual([
      expect.objectContaining({
        code: 'unconverted_orders',
        count: 1,
        missing: [{ currency: 'ZAR', days: ['2025-03-01'] }],
      }),
    ]);
    expect(status.lastFetch).toBe(status.fetch.lastSuccessAt);
  });

  it('fetches the daily file afterwards; its rate replaces the fallback of the day it covers', async () => {
    ecb.requests.length = 0;
    const res = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(ecb.requests).toEqual(['/stats/eurofxref/eurofxref-daily.xml']);
    expect(res.body).toMatchObject({ ran: true, inserted: 4, updated: 0, converted: { orders: 1, refunds: 0 } });
    expect((await baseTotals()).Z6).toBe(convert('300.00', ZAR['2025-04-24']));

    // The same file again changes nothing and announces nothing.
    const changes = events.length;
    const again = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(again.body).toMatchObject({ ran: true, inserted: 0, updated: 0, converted: { orders: 0, refunds: 0 } });
    expect(events.slice(changes).filter((name) => name === 'metrics.changed')).toEqual([]);
  });

  it('retries a failing server, then says in the health check which source is stale, and stores nothing', async () => {
    const before = await rateCount();
    ecb.answer = 'fail';
    ecb.requests.length = 0;
    const res = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(ecb.requests).toHaveLength(3); // the first try and two retries
    expect(res.body.fetch).toMatchObject({ status: 'stale', lastError: expect.stringContaining('HTTP 503') });
    const health = await t.anonymous().get('/api/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.database.status).toBe('up');
    expect(health.body.exchangeRates.status).toBe('stale');
    expect(health.body.reasons).toEqual([
      expect.stringMatching(
        /^exchange rates from http:\/\/127\.0\.0\.1:\d+\/stats\/eurofxref\/eurofxref-daily\.xml are stale: .*HTTP 503/,
      ),
    ]);
    expect(await rateCount()).toBe(before);
  });

  it('refuses a file cut short as a whole', async () => {
    const before = await rateCount();
    ecb.answer = 'truncated';
    const res = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(res.body.fetch).toMatchObject({ status: 'stale', lastError: expect.stringContaining('ends early') });
    expect(await rateCount()).toBe(before);
  });

  it('is healthy again after the next successful fetch', async () => {
    ecb.answer = 'files';
    await t.as('admin').post('/api/fx/refresh').expect(200);
    const health = await t.anonymous().get('/api/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', reasons: [], exchangeRates: { status: 'ok', lastError: null } });
  });

  it('runs one fetch at a time: a second request while one runs does not fetch', async () => {
    ecb.answer = 'hold';
    ecb.requests.length = 0;
    const arrived = ecb.nextRequest();
    const first = t
      .as('admin')
      .post('/api/fx/refresh')
      .then((res) => res);
    await arrived;
    const second = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(second.body.ran).toBe(false);
    ecb.release();
    expect((await first).body.ran).toBe(true);
    expect(ecb.requests).toEqual(['/stats/eurofxref/eurofxref-daily.xml']);
    ecb.answer = 'files';
  });
});

describe('exchange rates from the ECB CSV files (integration, local ECB server)', () => {
  const ecb = new EcbTestServer();
  let t: TestApp;

  beforeAll(async () => {
    const base = await ecb.start();
    t = await createTestApp({ env: { FX_RATES_URL: `${base}/csv/eurofxref-daily.csv`, BASE_CURRENCY: 'GBP' } });
  });
  afterAll(async () => {
    await t?.close();
    await ecb.stop();
  });

  it('takes the 90-day history when no order needs older rates, then the daily CSV, crossing into GBP', async () => {
    const first = await t.as('admin').post('/api/fx/refresh').expect(200);
    // 4 days × EUR, USD, JPY, ZAR (GBP is the base; HRK is N/A), but no ZAR on 17 April.
    expect(first.body).toMatchObject({ ran: true, inserted: 15 });
    const second = await t.as('admin').post('/api/fx/refresh').expect(200);
    expect(second.body).toMatchObject({ ran: true, inserted: 4 });
    expect(ecb.requests).toEqual(['/csv/eurofxref-hist-90d.csv', '/csv/eurofxref-daily.csv']);
    const rates = await t.as('viewer').get('/api/fx/rates').query({ from: '2025-04-24', to: '2025-04-24' }).expect(200);
    expect(rates.body.base).toBe('GBP');
    expect(rates.body.rates.map((r: { currency: string; rate: string }) => [r.currency, r.rate])).toEqual([
      ['EUR', crossRate('0.85643', '1').replace(/0+$/, '')],
      ['JPY', crossRate('0.85643', '162.58').replace(/0+$/, '')],
      ['USD', crossRate('0.85643', '1.1386').replace(/0+$/, '')],
      ['ZAR', crossRate('0.85643', '21.1470').replace(/0+$/, '')],
    ]);
  });
});
