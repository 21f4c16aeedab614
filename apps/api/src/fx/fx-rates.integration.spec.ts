import type { FxStatusResponse, UploadFileResult } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { OrderIngestService } from '../orders/order-ingest.service';
import { DomainEvents } from '../realtime/domain-events';
import { isMetricsPush } from '../realtime/metrics-push';
import { convert, fixtureText, order, sum } from './fixtures/fx-fixtures';

const NOW = '2025-06-15T12:00:00+02:00';

/** The weekday rate of May 2025 in this spec's rate file: 0.0540 + day × 0.0001 ZAR→USD. */
const zarRate = (day: number) => (0.054 + day / 10_000).toFixed(4);
const weekday = (day: number) => ![0, 6].includes(new Date(Date.UTC(2025, 4, day)).getUTCDay());

/** Rate files through the one intake, and `POST /api/fx/rates`; conversion the moment a rate arrives. */
describe('exchange rates from files and the API (integration)', () => {
  let t: TestApp;
  let events: string[];

  const upload = (name: string, content: string | Buffer, status = 200) =>
    t.as('admin').post('/api/upload').attach('files', Buffer.from(content), name).expect(status);
  const rateCount = async () => (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM fx_rates`))[0].n;
  const baseTotal = async (externalId: string) =>
    (await t.db.dataSource.query(`SELECT base_total FROM orders WHERE external_id = $1`, [externalId]))[0].base_total;
  const range = (from: string, to: string) =>
    t.as('viewer').get('/api/comparison/range').query({ from, to, now: NOW }).expect(200);

  // 48 ZAR orders over May 2025, stored before any rate (as from a ZAR Shopify export), evenings in Berlin.
  const zarOrders = Array.from({ length: 48 }, (_, i) => {
    const day = 1 + (i % 31);
    const total = `${100 + i * 37}.${String((i * 13) % 100).padStart(2, '0')}`;
    return {
      id: `ZA${i}`,
      day,
      total,
      at: `2025-05-${String(day).padStart(2, '0')}T21:${String(i % 60).padStart(2, '0')}:00+02:00`,
    };
  });

  beforeAll(async () => {
    t = await createTestApp();
    events = [];
    // What the rates announce; the figures pushed after orders are the realtime module's (metrics-push.ts).
    t.app.get(DomainEvents).events$.subscribe((event) => isMetricsPush(event) || events.push(event.name));
    await t.app.get(OrderIngestService).ingestBatch(zarOrders.map((o) => order(o.id, o.at, 'ZAR', o.total)));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leaves orders without a rate out of the figures and says which currency and days lack one', async () => {
    const res = await range('2025-05-01', '2025-05-31');
    expect(res.body.current).toMatchObject({ orders: 0, revenue: 0 });
    const days = [...new Set(zarOrders.map((o) => o.day))]
      .sort((a, b) => a - b)
      .map((d) => `2025-05-${String(d).padStart(2, '0')}`);
    expect(res.body.warnings).toEqual([
      {
        code: 'unconverted_orders',
        count: 48,
        currencies: ['ZAR'],
        missing: [{ currency: 'ZAR', days }],
        message:
          '48 orders in ZAR could not be converted to USD and are left out (no rate for ZAR on 31 days from 2025-05-01 to 2025-05-31): add the rates under Settings → Currencies',
      },
    ]);
  });

  it('refuses a rate file with bad rows, naming row and column, and stores nothing', async () => {
    const res = await upload(
      'rates-bad.csv',
      'date,currency,rate\n2025-05-02,ZZZ,0.05\n2025-05-02,ZAR,0\n2025-05-30,ZAR,-0.05\n2025-02-30,ZAR,0.05\n',
      422,
    );
    const [file] = res.body.files as UploadFileResult[];
    expect(file).toMatchObject({ type: 'fx-rates', status: 'rejected', rows: 4 });
    expect(file.errors).toEqual([
      { row: 2, column: 'currency', message: '"ZZZ" is not a known currency code (ISO 4217, e.g. ZAR)' },
      { row: 3, column: 'rate', message: '0 is not a rate: a rate must be greater than 0' },
      { row: 4, column: 'rate', message: '-0.05 is not a rate: a rate must be greater than 0' },
      { row: 5, column: 'date', message: '"2025-02-30" is not a date like 2025-04-28' },
    ]);
    expect(await rateCount()).toBe(0);
  });

  it('converts every waiting order (and its lines) the moment the rate file lands: exact amounts, weekends at Friday’s rate, warnings cleared', async () => {
    const rows = ['date,currency,rate'];
    for (let day = 1; day <= 31; day++)
      if (weekday(day)) rows.push(`2025-05-${String(day).padStart(2, '0')},ZAR,${zarRate(day)}`);
    const before = events.length;
    const res = await upload('zar-may-2025.csv', rows.join('\n'));
    const [file] = res.body.files as UploadFileResult[];
    expect(file).toMatchObject({
      type: 'fx-rates',
      status: 'imported',
      rows: 22,
      inserted: 22,
      updated: 0,
      converted: { orders: 48, refunds: 0 },
      warnings: [],
      errors: [],
    });
    const expected = zarOrders.map((o) => {
      let rateDay = o.day;
      while (!weekday(rateDay)) rateDay -= 1; // 3–4 May → 2 May, 31 May → 30 May
      return convert(o.total, zarRate(rateDay));
    });
    const stored = await t.db.dataSource.query(
      `SELECT base_total FROM orders WHERE currency = 'ZAR' ORDER BY substring(external_id FROM 3)::int`,
    );
    expect(stored.map((row: { base_total: string }) => row.base_total)).toEqual(expected);
    const lines = await t.db.dataSource.query(
      `SELECT l.base_line_total FROM order_lines l JOIN orders o ON o.id = l.order_id
       WHERE o.currency = 'ZAR' ORDER BY substring(o.external_id FROM 3)::int`,
    );
    expect(lines.map((row: { base_line_total: string }) => row.base_line_total)).toEqual(expected);
    const figures = await range('2025-05-01', '2025-05-31');
    expect(figures.body.current).toMatchObject({ orders: 48, revenue: Number(sum(expected)) });
    expect(figures.body.warnings).toEqual([]);
    expect(events.slice(before)).toEqual(['metrics.changed', 'upload.completed']);
    const [log] = await t.db.dataSource.query(
      `SELECT type, status, rows, inserted FROM upload_log WHERE file_name = 'zar-may-2025.csv'`,
    );
    expect(log).toEqual({ type: 'fx-rates', status: 'imported', rows: 22, inserted: 22 });
    const [rate] = await t.db.dataSource.query(`SELECT source, origin, added_by::text FROM fx_rates LIMIT 1`);
    expect(rate).toEqual({ source: 'file', origin: 'zar-may-2025.csv', added_by: t.users.admin.id });

    // The same file again: recognised as already imported, nothing changes.
    const again = await upload('zar-may-2025.csv', rows.join('\n'));
    expect(again.body.files[0]).toMatchObject({ type: 'fx-rates', duplicate: true, inserted: 0 });
  });

  it('applies a corrected rate to the orders converted with the old one', async () => {
    const res = await upload('zar-fix.csv', 'currency;date;rate\nZAR;2025-05-02;0.0600\n');
    // 2 May (Friday) covers the orders of 2, 3 and 4 May.
    const affected = zarOrders.filter((o) => [2, 3, 4].includes(o.day));
    expect(res.body.files[0]).toMatchObject({ inserted: 0, updated: 1, converted: { orders: affected.length } });
    for (const o of affected) expect(await baseTotal(o.id)).toBe(convert(o.total, '0.0600'));
  });

  it('takes the ECB XML through the same intake', async () => {
    const res = await upload('eurofxref-hist.xml', fixtureText('eurofxref-hist.xml'));
    expect(res.body.files[0]).toMatchObject({ type: 'ecb-rates', status: 'imported', rows: 5, inserted: 19 });
  });

  describe('POST /api/fx/rates', () => {
    it('requires authentication, and admin', async () => {
      await t.anonymous().post('/api/fx/rates').send({ rates: [] }).expect(401);
      await t
        .as('viewer')
        .post('/api/fx/rates')
        .send({ rates: [{ date: '2025-05-16', currency: 'BDT', rate: '0.0082' }] })
        .expect(403);
    });

    it('refuses bad rows with row and field, and stores none of them', async () => {
      const before = await rateCount();
      const res = await t
        .as('admin')
        .post('/api/fx/rates')
        .send({
          rates: [
            { date: '2025-05-16', currency: 'BDT', rate: '0.0082' },
            { date: '2025-05-16', currency: 'XYZ', rate: '1' },
            { date: '16.05.2025', currency: 'BDT', rate: 0.0081 },
            { date: '2025-05-17', currency: 'BDT', rate: -2 },
          ],
        })
        .expect(400);
      expect(res.body.errors).toEqual([
        { row: 2, column: 'currency', message: '"XYZ" is not a known currency code (ISO 4217, e.g. ZAR)' },
        { row: 3, column: 'date', message: '"16.05.2025" is not a date like 2025-04-28' },
        { row: 4, column: 'rate', message: '-2 is not a rate: a rate must be greater than 0' },
      ]);
      expect(res.body.message).toContain('rates[2].currency "XYZ" is not a known currency code');
      expect(await rateCount()).toBe(before);
    });

    it('converts a GBP order received by webhook and a BDT order, and never overrides a platform amount', async () => {
      const ingest = t.app.get(OrderIngestService);
      const key = (id: string) => ({
        platform: 'woocommerce' as const,
        deliveryId: id,
        store: 'https://books.example',
        topic: 'order.created',
      });
      await ingest.ingestDelivery(key('d-gbp'), order('GB1', '2025-05-16T13:42:07+01:00', 'GBP', '42.43'));
      await ingest.ingestDelivery(key('d-bdt'), order('BD1', '2025-05-18T10:00:00+06:00', 'BDT', '1250.00'));
      // A Shopify shop in USD: the shop amount is the base amount, whatever the buyer paid in.
      await ingest.ingestDelivery(key('d-usd'), order('US1', '2025-05-16T12:00:00Z', 'USD', '19.99'));
      // Ten days after its only rate: beyond the 7-day fallback, so it keeps waiting.
      await ingest.ingestDelivery(key('d-late'), order('GB2', '2025-05-26T12:00:00+01:00', 'GBP', '10.00'));
      expect([await baseTotal('GB1'), await baseTotal('BD1'), await baseTotal('US1')]).toEqual([null, null, '19.99']);

      const res = await t
        .as('admin')
        .post('/api/fx/rates')
        .send({
          rates: [
            { date: '2025-05-16', currency: 'GBP', rate: '1.3312' },
            { date: '2025-05-16', currency: 'bdt', rate: 0.0082 },
          ],
        })
        .expect(200);
      expect(res.body).toMatchObject({ inserted: 2, updated: 0, converted: { orders: 2, refunds: 0 } });
      expect(res.body.warnings).toEqual([
        expect.objectContaining({
          code: 'unconverted_orders',
          count: 1,
          missing: [{ currency: 'GBP', days: ['2025-05-26'] }],
        }),
      ]);
      expect(await baseTotal('GB1')).toBe('56.48'); // 42.43 × 1.3312 = 56.482816
      expect(await baseTotal('BD1')).toBe('10.25'); // 1250 × 0.0082, BDT rate of 16 May two days on
      expect(await baseTotal('US1')).toBe('19.99');

      const [rate] = await t.db.dataSource.query(`SELECT source, added_by::text FROM fx_rates WHERE currency = 'BDT'`);
      expect(rate).toEqual({ source: 'api', added_by: t.users.admin.id });
      const listed = await t.as('viewer').get('/api/fx/rates').query({ currency: 'bdt' }).expect(200);
      expect(listed.body.rates).toEqual([
        {
          date: '2025-05-16',
          currency: 'BDT',
          rate: '0.0082',
          source: 'api',
          origin: null,
          addedAt: expect.any(String),
        },
      ]);
      const status: FxStatusResponse = (await t.as('viewer').get('/api/fx/status').expect(200)).body;
      expect(status.source).toBeNull();
      expect(status.fetch.status).toBe('off');
      expect(status.currencies.map((c) => [c.currency, c.lastRateDate, c.waitingOrders])).toEqual([
        ['BDT', '2025-05-16', 0],
        ['GBP', '2025-05-16', 1],
        ['ZAR', '2025-05-30', 0],
      ]);
    });

    it('converts 10,000 orders waiting for one currency in the one transaction that stores the rate', async () => {
      await t.db.dataSource.query(`
        INSERT INTO orders (platform, store, external_id, created_at, currency, total, status)
        SELECT 'shopify', 'inr.myshopify.com', 'inr-' || i, '2025-07-01T10:00:00+05:30'::timestamptz + i * interval '1 second',
               'INR', 100 + i % 900 + (i % 100) / 100.0, 'paid'
        FROM generate_series(1, 10000) AS i`);
      const res = await t
        .as('admin')
        .post('/api/fx/rates')
        .send({ rates: [{ date: '2025-07-01', currency: 'INR', rate: '0.01167' }] })
        .expect(200);
      expect(res.body.converted).toEqual({ orders: 10_000, refunds: 0 });
      const [check] = await t.db.dataSource.query(`
        SELECT count(*) FILTER (WHERE base_total IS NULL)::int AS waiting,
               count(*) FILTER (WHERE base_total <> round(total * 0.01167, 2))::int AS wrong,
               count(DISTINCT xmin::text)::int AS transactions,
               bool_and(xmin::text = (SELECT xmin::text FROM fx_rates WHERE currency = 'INR')) AS with_the_rate
        FROM orders WHERE currency = 'INR'`);
      expect(check).toEqual({ waiting: 0, wrong: 0, transactions: 1, with_the_rate: true });
    });
  });
});

/** Base amounts follow BUSINESS_TIMEZONE: the rate day of a converted order is its local date. */
describe('a change of BUSINESS_TIMEZONE (integration)', () => {
  let db: TestDatabase;
  const ZAR_16 = '0.05310554';
  const ZAR_22 = '0.05337800';

  const amounts = async () =>
    (
      await db.dataSource.query(
        `SELECT o.external_id, o.base_total, r.base_amount FROM orders o LEFT JOIN refunds r ON r.order_id = o.id ORDER BY 1`,
      )
    ).map((row: { external_id: string; base_total: string; base_amount: string | null }) => [
      row.external_id,
      row.base_total,
      row.base_amount,
    ]);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('recomputes the rate day of converted orders and refunds at start, and only those', async () => {
    const berlin = await createTestApp({ db });
    await berlin
      .as('admin')
      .post('/api/fx/rates')
      .send({
        rates: [
          { date: '2025-04-16', currency: 'ZAR', rate: ZAR_16 },
          { date: '2025-04-22', currency: 'ZAR', rate: ZAR_22 },
        ],
      })
      .expect(200);
    await berlin.app.get(OrderIngestService).ingestBatch([
      {
        // 22 April 00:30 in Berlin, 21 April 22:30 in UTC.
        ...order('Z4', '2025-04-22T00:30:00+02:00', 'ZAR', '120.00'),
        refunds: [{ externalId: 'r1', refundedAt: new Date('2025-04-22T01:00:00+02:00'), amount: '20.00' }],
      },
      order('U1', '2025-04-22T00:30:00+02:00', 'USD', '19.99'),
    ]);
    await berlin.close();
    expect(await amounts()).toEqual([
      ['U1', '19.99', null],
      ['Z4', convert('120.00', ZAR_22), convert('20.00', ZAR_22)],
    ]);

    const utc = await createTestApp({ db, env: { BUSINESS_TIMEZONE: 'UTC' } });
    await utc.close();
    expect(await amounts()).toEqual([
      ['U1', '19.99', null],
      ['Z4', convert('120.00', ZAR_16), convert('20.00', ZAR_16)],
    ]);
    const [zone] = await db.dataSource.query(`SELECT value #>> '{}' AS zone FROM settings WHERE key = 'fx.rateZone'`);
    expect(zone.zone).toBe('UTC');

    const back = await createTestApp({ db });
    await back.close();
    expect((await amounts())[1]).toEqual(['Z4', convert('120.00', ZAR_22), convert('20.00', ZAR_22)]);
  });
});
