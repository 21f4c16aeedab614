import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportHistoryResponse, UploadFileResult, UploadResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { truncate } from '../../test/test-database';
import { OrderIngestService } from '../orders/order-ingest.service';
import { UNEXPECTED_FAILURE } from './upload.service';
import { UploadRepository } from './upload.repository';
import { uploadStatusOf, xlsxWith, xmlEntry } from './upload-test-files';

const ORDERS = join(__dirname, '..', 'orders', 'fixtures');
const SPOTIFY = join(__dirname, 'fixtures');
const read = (dir: string, name: string) => readFileSync(join(dir, name));
const json = (name: string) => JSON.parse(read(ORDERS, name).toString('utf8')) as Record<string, unknown>;

/** A worksheet as a generator that leaves out every `r` (the format allows it) would write it. */
function sheetWithoutReferences(rows: Array<Array<string | number>>): string {
  const cell = (value: string | number) =>
    typeof value === 'number'
      ? `<c><v>${value}</v></c>`
      : `<c t="inlineStr"><is><t>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t></is></c>`;
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows
    .map((row) => `<row>${row.map(cell).join('')}</row>`)
    .join('')}</sheetData></worksheet>`;
}

describe('the one intake: POST /api/upload takes every kind of file', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BASE_CURRENCY: 'USD' } });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    jest.restoreAllMocks();
    await truncate(
      t.db,
      'orders',
      'refunds',
      'sources',
      'fx_rates',
      'upload_log',
      'spotify_weekly_stats',
      'spotify_monthly_stats',
    );
  });

  const upload = async (files: Array<[string, Buffer | string]>): Promise<UploadFileResult[]> => {
    let req = t.as('admin').post('/api/upload');
    for (const [name, content] of files) req = req.attach('files', Buffer.from(content), name);
    const res = await req;
    expect(res.status).toBe(uploadStatusOf((res.body as UploadResponse).files));
    return (res.body as UploadResponse).files;
  };
  const orders = () =>
    t.db.dataSource.query(
      `SELECT platform, external_id, total::text, currency, status FROM orders ORDER BY platform, external_id`,
    ) as Promise<Array<{ platform: string; external_id: string; total: string; currency: string; status: string }>>;
  const summary = (r: UploadFileResult) => ({
    name: r.name,
    kind: r.kind,
    platform: r.platform,
    type: r.type,
    recognised: r.recognised,
    status: r.status,
    rows: r.rows,
    inserted: r.inserted,
    errors: r.errors,
  });

  it('takes order exports, a Spotify report and a rate file in one upload, saying what it recognised in each', async () => {
    const results = await upload([
      ['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')],
      ['spotify-weekly-stats.csv', read(SPOTIFY, 'spotify-weekly-stats.csv')],
      ['EtsySoldOrders2025-5.csv', read(ORDERS, 'EtsySoldOrders2025-5.csv')],
      ['EtsySoldOrderItems2025-5.csv', read(ORDERS, 'EtsySoldOrderItems2025-5.csv')],
      ['rates.csv', 'date,currency,rate\n2025-05-01,CAD,0.72\n'],
      ['notes.csv', 'Customer,Comment\nAnna,lovely book\n'],
    ]);
    expect(results.map(summary)).toEqual([
      {
        name: 'orders_export_1.csv',
        kind: 'orders',
        platform: 'shopify',
        type: null,
        recognised: 'Shopify orders export, 4 orders',
        status: 'imported',
        rows: 5,
        inserted: 4,
        errors: [],
      },
      {
        name: 'spotify-weekly-stats.csv',
        kind: 'spotify',
        platform: null,
        type: 'spotify-weekly',
        recognised: 'Spotify weekly stats, 23 rows',
        status: 'imported',
        rows: 23,
        inserted: 23,
        errors: [],
      },
      {
        name: 'EtsySoldOrders2025-5.csv',
        kind: 'orders',
        platform: 'etsy',
        type: null,
        recognised: 'Etsy Sold Orders file, 3 orders',
        status: 'imported',
        rows: 3,
        inserted: 3,
        errors: [],
      },
      {
        name: 'EtsySoldOrderItems2025-5.csv',
        kind: 'orders',
        platform: 'etsy',
        type: null,
        recognised: 'Etsy Sold Order Items file, 4 items in 3 orders',
        status: 'imported',
        rows: 4,
        inserted: 1,
        errors: [],
      },
      {
        name: 'rates.csv',
        kind: 'rates',
        platform: null,
        type: 'fx-rates',
        recognised: 'exchange-rate file (date, currency, rate), 1 row',
        status: 'imported',
        rows: 1,
        inserted: 1,
        errors: [],
      },
      {
        name: 'notes.csv',
        kind: null,
        platform: null,
        type: null,
        recognised: null,
        status: 'rejected',
        rows: 0,
        inserted: 0,
        errors: [
          {
            row: null,
            column: null,
            message:
              'We could not tell what this file is: expected an order export of Shopify, WooCommerce, Etsy, Amazon or eBay, a Spotify report, or an exchange-rate file. Its first line was: Customer, Comment',
          },
        ],
      },
    ]);
    expect((await orders()).map((o) => `${o.platform} ${o.external_id}`)).toEqual([
      'etsy 3456789012',
      'etsy 3456789013',
      'etsy 3456789014',
      'etsy 3456789015',
      'shopify 6231859900001',
      'shopify 6231859900002',
      'shopify 6231859900003',
      'shopify 6231859937601',
    ]);
  });

  it('takes the platforms’ API answers saved as JSON, through the parsers their webhooks and pollers use', async () => {
    const files: Array<[string, string]> = [
      ['shopify-orders.json', JSON.stringify({ orders: [json('shopify-orders-create.json')] })],
      ['woocommerce-orders.json', JSON.stringify([json('woocommerce-order-created.json')])],
      ['etsy-receipts.json', JSON.stringify({ count: 1, results: [json('etsy-receipt.json')] })],
      [
        'amazon-orders.json',
        JSON.stringify({
          payload: {
            Orders: [
              {
                AmazonOrderId: '111-1234567-1234567',
                PurchaseDate: '2025-05-14T10:00:00Z',
                LastUpdateDate: '2025-05-15T10:00:00Z',
                OrderStatus: 'Shipped',
                OrderTotal: { CurrencyCode: 'USD', Amount: '69.11' },
              },
            ],
          },
        }),
      ],
      ['ebay-orders.json', JSON.stringify({ total: 1, orders: [json('ebay-order.json')] })],
      // The same Shopify order once more, as REST `GET /orders/{id}` answers it: one order is one row.
      ['one-order.json', JSON.stringify({ order: json('shopify-orders-create.json') })],
    ];
    const results = await upload(files);
    expect(results.map((r) => [r.name, r.status, r.platform, r.recognised, r.inserted, r.skipped, r.errors])).toEqual([
      ['shopify-orders.json', 'imported', 'shopify', 'JSON file of Shopify orders, 1 order', 1, 0, []],
      ['woocommerce-orders.json', 'imported', 'woocommerce', 'JSON file of WooCommerce orders, 1 order', 1, 0, []],
      ['etsy-receipts.json', 'imported', 'etsy', 'JSON file of Etsy receipts, 1 receipt', 1, 0, []],
      ['amazon-orders.json', 'imported', 'amazon', 'JSON file of Amazon orders (getOrders), 1 order', 1, 0, []],
      ['ebay-orders.json', 'imported', 'ebay', 'JSON file of eBay orders (getOrders), 1 order', 1, 0, []],
      ['one-order.json', 'imported', 'shopify', 'JSON file of Shopify orders, 1 order', 0, 1, []],
    ]);
    const stored = await orders();
    expect(stored.map((o) => o.platform)).toEqual(['amazon', 'ebay', 'etsy', 'shopify', 'woocommerce']);
    expect(stored.find((o) => o.platform === 'amazon')).toEqual({
      platform: 'amazon',
      external_id: '111-1234567-1234567',
      total: '69.11',
      currency: 'USD',
      status: 'paid',
    });
  });

  it('names the element and field of a JSON order its parser refuses, and says what an unknown JSON holds', async () => {
    const receipt = json('etsy-receipt.json');
    const [bad, unknown, cut, edited] = await upload([
      ['receipts.json', JSON.stringify({ count: 2, results: [receipt, { ...receipt, grandtotal: 'lots' }] })],
      ['settings.json', JSON.stringify({ theme: 'dark', alerts: [] })],
      ['cut.json', '{"orders": [{"id": 1,\n  "created_at": '],
      ['edited.json', '{"orders": [\n  {"id": 1 "created_at": "2025-05-01T10:00:00Z"}]}'],
    ]);
    expect(bad).toMatchObject({
      status: 'rejected',
      recognised: 'JSON file of Etsy receipts, 2 receipts',
      errors: [{ row: 2, column: 'grandtotal', message: 'receipt 2: grandtotal must be an object' }],
    });
    expect(unknown!.errors).toEqual([
      {
        row: null,
        column: null,
        message:
          'We could not tell what this file is: expected an order export of Shopify, WooCommerce, Etsy, Amazon or eBay, a Spotify report, or an exchange-rate file. It is JSON, but its top level has the keys "theme", "alerts", none of which holds orders we know.',
      },
    ]);
    expect([...cut!.errors, ...edited!.errors]).toEqual([
      {
        row: null,
        column: null,
        message: 'cut.json is not valid JSON: it ends before its last value is complete (was it cut short?)',
      },
      {
        row: null,
        column: null,
        message: 'edited.json is not valid JSON: it breaks off or has a stray character at line 2, column 12',
      },
    ]);
    expect(await orders()).toEqual([]);
  });

  it('reads a ;-delimited export as Excel saves it where decimals are commas', async () => {
    const csv = [
      '\ufeffName;Financial Status;Currency;Total;Created at;Lineitem quantity;Lineitem name;Lineitem price;Id',
      '#2001;paid;EUR;1.234,56;2025-05-14 09:12:44 +0200;1;Atlas of Tides;1.234,56;7001',
      '#2002;paid;EUR;12,99;2025-05-15 10:00:00 +0200;1;Tidewater;12,99;7002',
      '#2003;paid;EUR;1.500;2025-05-16 10:00:00 +0200;1;Collected Works;1.500;7003',
    ].join('\r\n');
    const [result] = await upload([['bestellungen.csv', csv]]);
    expect(result).toMatchObject({ status: 'imported', recognised: 'Shopify orders export, 3 orders', inserted: 3 });
    expect((await orders()).map((o) => [o.external_id, o.total])).toEqual([
      ['7001', '1234.56'],
      ['7002', '12.99'],
      ['7003', '1500.00'],
    ]);
  });

  it('reads XLSX files whose cells have no references, orders, Spotify reports and rates alike', async () => {
    const ordersXlsx = await xlsxWith([
      await xmlEntry(
        'xl/worksheets/sheet1.xml',
        sheetWithoutReferences([
          ['Name', 'Financial Status', 'Currency', 'Total', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Id'],
          ['#3001', 'paid', 'USD', 42.5, '2025-05-14 09:12:44 -0400', 1, 'Atlas of Tides', 8001],
        ]),
      ),
    ]);
    const weeklyXlsx = await xlsxWith([
      await xmlEntry(
        'xl/worksheets/sheet1.xml',
        sheetWithoutReferences([
          ['Week starting', 'Title', 'ISBN', 'Country', 'Total listen minutes'],
          ['2025-04-28', 'The Salt Road', '9781917000012', 'US', 1200],
          ['2025-04-28', 'The Salt Road', '9781917000012', 'GB', 300],
        ]),
      ),
    ]);
    const ratesXlsx = await xlsxWith([
      await xmlEntry(
        'xl/worksheets/sheet1.xml',
        sheetWithoutReferences([
          ['date', 'currency', 'rate'],
          ['2025-05-02', 'ZAR', 0.0541],
        ]),
      ),
    ]);
    const [ordersResult, weeklyResult, ratesResult] = await upload([
      ['orders.xlsx', ordersXlsx],
      ['weekly.xlsx', weeklyXlsx],
      ['rates.xlsx', ratesXlsx],
    ]);
    expect(summary(ratesResult!)).toMatchObject({ status: 'imported', kind: 'rates', type: 'fx-rates', inserted: 1 });
    expect(await t.db.dataSource.query(`SELECT day::text, currency, rate::text FROM fx_rates`)).toEqual([
      { day: '2025-05-02', currency: 'ZAR', rate: '0.05410000000000' },
    ]);
    expect(summary(ordersResult!)).toMatchObject({
      status: 'imported',
      recognised: 'Shopify orders export, 1 order',
      inserted: 1,
    });
    expect(summary(weeklyResult!)).toMatchObject({ status: 'imported', type: 'spotify-weekly', rows: 2, inserted: 2 });
    expect(await orders()).toEqual([
      { platform: 'shopify', external_id: '8001', total: '42.50', currency: 'USD', status: 'paid' },
    ]);
    expect(
      await t.db.dataSource.query(`SELECT country, minutes::text FROM spotify_weekly_stats ORDER BY country`),
    ).toEqual([
      { country: 'GB', minutes: '300.00' },
      { country: 'US', minutes: '1200.00' },
    ]);
  });

  it('keeps a good CSV when a broken XLSX follows it in the same upload, and says so for each', async () => {
    const broken = await xlsxWith([
      await xmlEntry(
        'xl/worksheets/sheet1.xml',
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Week starting</t></is></c></sheetData></worksheet>',
      ),
    ]);
    const results = await upload([
      ['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')],
      ['broken.xlsx', broken],
    ]);
    expect(results.map((r) => [r.name, r.status, r.errors])).toEqual([
      ['orders_export_1.csv', 'imported', []],
      [
        'broken.xlsx',
        'rejected',
        [
          {
            row: null,
            column: null,
            message:
              'the workbook could not be read: it may be damaged; open it in a spreadsheet program and save it again',
          },
        ],
      ],
    ]);
    expect(await orders()).toHaveLength(4);
  });

  it('answers 422 with every file’s result when no file of the upload landed, 200 when one did', async () => {
    const badOrders =
      'order_id,order_date,status,order_total,order_currency\n1,2025-05-01 10:00:00,completed,ten,USD\n';
    const badRates = 'date,currency,rate\n2025-05-02,ZZZ,0.05\n';
    const send = (files: Array<[string, string | Buffer]>) =>
      files.reduce(
        (req, [name, content]) => req.attach('files', Buffer.from(content), name),
        t.as('admin').post('/api/upload'),
      );

    const none = await send([
      ['orders.csv', badOrders],
      ['rates.csv', badRates],
    ]);
    expect(none.status).toBe(422);
    expect((none.body as UploadResponse).files.map((r) => [r.name, r.status, r.errors[0]])).toEqual([
      ['orders.csv', 'rejected', { row: 2, column: 'order_total', message: 'order_total "ten" is not an amount' }],
      ['rates.csv', 'rejected', { row: 2, column: 'currency', message: expect.stringContaining('ZZZ') }],
    ]);

    const some = await send([
      ['orders.csv', badOrders],
      ['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')],
    ]);
    expect(some.status).toBe(200);
    expect((some.body as UploadResponse).files.map((r) => [r.name, r.status])).toEqual([
      ['orders.csv', 'rejected'],
      ['orders_export_1.csv', 'imported'],
    ]);
    expect((await orders()).map((o) => o.platform)).toEqual(['shopify', 'shopify', 'shopify', 'shopify']);

    // The same file again changes nothing, and is no rejection: 200.
    const again = await send([['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')]]);
    expect(again.status).toBe(200);

    const legacy = await t.as('admin').post('/api/import/orders').attach('files', Buffer.from(badOrders), 'orders.csv');
    expect(legacy.status).toBe(422);
    expect(legacy.body.files[0]).toMatchObject({
      file: 'orders.csv',
      inserted: 0,
      errors: [{ row: 2, column: 'order_total' }],
    });
  });

  it('turns an unexpected failure into that file’s rejection, and writes the other files', async () => {
    jest
      .spyOn(t.app.get(OrderIngestService), 'ingestInChunks')
      .mockRejectedValueOnce(new Error('connection terminated unexpectedly'));
    jest.spyOn(t.app.get(UploadRepository), 'begin').mockRejectedValueOnce(new Error('too many clients already'));
    const results = await upload([
      ['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')],
      ['spotify-weekly-stats.csv', read(SPOTIFY, 'spotify-weekly-stats.csv')],
      ['EtsySoldOrders2025-5.csv', read(ORDERS, 'EtsySoldOrders2025-5.csv')],
      ['spotify-monthly-stats.csv', read(SPOTIFY, 'spotify-monthly-stats.csv')],
    ]);
    expect(results.map((r) => [r.name, r.status, r.errors.map((e) => e.message)])).toEqual([
      ['orders_export_1.csv', 'rejected', [UNEXPECTED_FAILURE]],
      ['spotify-weekly-stats.csv', 'rejected', [UNEXPECTED_FAILURE]],
      ['EtsySoldOrders2025-5.csv', 'imported', []],
      ['spotify-monthly-stats.csv', 'imported', []],
    ]);
    expect((await orders()).map((o) => o.platform)).toEqual(['etsy', 'etsy', 'etsy']);
  });

  describe('GET /api/imports', () => {
    it('requires authentication, and the admin role', async () => {
      await t.anonymous().get('/api/imports').expect(401);
      await t.as('viewer').get('/api/imports').expect(403);
    });

    it('lists every file of the intake, orders, Spotify and rates alike, newest first (each upload in its order), with who sent it', async () => {
      await upload([
        ['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')],
        ['spotify-weekly-stats.csv', read(SPOTIFY, 'spotify-weekly-stats.csv')],
        ['rates.csv', 'date,currency,rate\n2025-05-01,CAD,0.72\n'],
        ['bad.csv', 'date,currency,rate\n2025-05-01,CAD,zero\n'],
      ]);
      await upload([['orders_export_1.csv', read(ORDERS, 'shopify-orders-export.csv')]]);
      const res = await t.as('admin').get('/api/imports?limit=10').expect(200);
      const by = t.users.admin.email;
      expect(
        (res.body as ImportHistoryResponse).imports.map(({ id, at, ...entry }) => {
          expect(id).toEqual(expect.any(Number));
          expect(Date.parse(at)).not.toBeNaN();
          return entry;
        }),
      ).toEqual([
        {
          file: 'orders_export_1.csv',
          kind: 'orders',
          platform: 'shopify',
          reportType: null,
          recognised: 'Shopify orders export, 4 orders',
          rows: 5,
          inserted: 0,
          updated: 0,
          skipped: 4,
          status: 'imported',
          errorCount: 0,
          by,
        },
        {
          file: 'bad.csv',
          kind: 'rates',
          platform: null,
          reportType: 'fx-rates',
          recognised: 'exchange-rate file (date, currency, rate)',
          rows: 1,
          inserted: 0,
          updated: 0,
          skipped: 0,
          status: 'rejected',
          errorCount: 1,
          by,
        },
        {
          file: 'rates.csv',
          kind: 'rates',
          platform: null,
          reportType: 'fx-rates',
          recognised: 'exchange-rate file (date, currency, rate), 1 row',
          rows: 1,
          inserted: 1,
          updated: 0,
          skipped: 0,
          status: 'imported',
          errorCount: 0,
          by,
        },
        {
          file: 'spotify-weekly-stats.csv',
          kind: 'spotify',
          platform: null,
          reportType: 'spotify-weekly',
          recognised: 'Spotify weekly stats, 23 rows',
          rows: 23,
          inserted: 23,
          updated: 0,
          skipped: 0,
          status: 'imported',
          errorCount: 0,
          by,
        },
        {
          file: 'orders_export_1.csv',
          kind: 'orders',
          platform: 'shopify',
          reportType: null,
          recognised: 'Shopify orders export, 4 orders',
          rows: 5,
          inserted: 4,
          updated: 0,
          skipped: 0,
          status: 'imported',
          errorCount: 0,
          by,
        },
      ]);
    });
  });
});
