import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { Response } from 'superagent';
import { createTestApp, TestApp } from '../../test/test-app';
import { Cell, Column, CsvWriter, csvLinesSql, neutralise } from './table-writers';

const HEADER =
  'platform,store,external_id,order_number,created_at,date,timezone,status,counted,country,currency,total,refunded,base_currency,base_total,base_refunded,base_net,titles';

/** exceljs types its Buffer with the older, non-generic Node type. */
function asExcelBuffer(body: unknown): Parameters<ExcelJS.Xlsx['load']>[0] {
  return body as Parameters<ExcelJS.Xlsx['load']>[0];
}

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('exports', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const orders: Array<
      [string, string, string, string | null, string, string, string, string | null, string | null, string]
    > = [
      // platform, store, external_id, order_number, created_at, currency, total, base_total, country, status
      [
        'shopify',
        'mt-ink.myshopify.com',
        '1001',
        '#1001',
        '2026-11-02T10:15:00+01:00',
        'USD',
        '25.00',
        '25.00',
        'GB',
        'paid',
      ],
      [
        'etsy',
        '',
        'E-7',
        '=HYPERLINK("http://x","click")',
        '2026-11-02T23:30:00Z',
        'EUR',
        '20.00',
        '21.50',
        'DE',
        'paid',
      ],
      ['woocommerce', '', 'W,"1"', '-1+2', '2026-11-03T08:00:00+01:00', 'USD', '10.00', '10.00', null, 'cancelled'],
      ['shopify', '+44', '@SUM(1)', '\tTab', '2026-11-04T12:00:00+01:00', 'GBP', '15.00', null, 'FR', 'paid'],
      ['shopify', '', 'CR', '\rCR', '2026-11-04T13:00:00+01:00', 'USD', '7.50', '7.50', 'US', 'paid'],
      ['shopify', '', 'LATE', null, '2026-11-05T00:00:00+01:00', 'USD', '99.00', '99.00', 'US', 'paid'],
    ];
    for (const o of orders) {
      await t.db.dataSource.query(
        `INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total, country, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        o,
      );
    }
    await t.db.dataSource.query(
      `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount)
       SELECT id, 'R1', '2026-11-03T10:00:00+01:00', 5.00, 5.38 FROM orders WHERE external_id = 'E-7'`,
    );
    // A line whose title and SKU a spreadsheet would take for formulas; it makes a catalogue title of its own.
    await t.db.dataSource.query(
      `INSERT INTO order_lines (order_id, position, title, sku, quantity, unit_price, line_total, base_line_total)
       SELECT id, 1, '=cmd|x', '+SKU', 1, 25.00, 25.00, 25.00 FROM orders WHERE external_id = '1001'`,
    );
  });
  afterAll(() => t?.close());

  it('requires authentication', async () => {
    await t.anonymous().get('/api/export/orders').query({ from: '2026-11-02', to: '2026-11-04' }).expect(401);
    await t.anonymous().get('/api/export/daily').query({ from: '2026-11-02', to: '2026-11-04' }).expect(401);
  });

  it('export the orders of a range as CSV, exactly, with spreadsheet formulas neutralised', async () => {
    const res = await t
      .as('viewer')
      .get('/api/export/orders')
      .query({ from: '2026-11-02', to: '2026-11-04' })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="orders-2026-11-02-to-2026-11-04.csv"');
    expect(res.text).toBe(
      [
        HEADER,
        "shopify,mt-ink.myshopify.com,1001,#1001,2026-11-02T10:15:00+01:00,2026-11-02,Europe/Berlin,paid,true,GB,USD,25.00,0.00,USD,25.00,0.00,25.00,'=cmd|x",
        `etsy,,E-7,"'=HYPERLINK(""http://x"",""click"")",2026-11-03T00:30:00+01:00,2026-11-03,Europe/Berlin,paid,true,DE,EUR,20.00,5.00,USD,21.50,5.38,16.12,`,
        `woocommerce,,"W,""1""",'-1+2,2026-11-03T08:00:00+01:00,2026-11-03,Europe/Berlin,cancelled,false,,USD,10.00,0.00,USD,10.00,0.00,10.00,`,
        `shopify,'+44,'@SUM(1),'\tTab,2026-11-04T12:00:00+01:00,2026-11-04,Europe/Berlin,paid,true,FR,GBP,15.00,0.00,USD,,0.00,,`,
        `shopify,,CR,"'\rCR",2026-11-04T13:00:00+01:00,2026-11-04,Europe/Berlin,paid,true,US,USD,7.50,0.00,USD,7.50,0.00,7.50,`,
        '',
      ].join('\r\n'),
    );
  });

  it('export the lines of a range with their title and share of revenue, formulas neutralised', async () => {
    const [{ id }] = await t.db.dataSource.query(`SELECT id::text AS id FROM titles WHERE name = '=cmd|x'`);
    const res = await t
      .as('viewer')
      .get('/api/export/lines.csv')
      .query({ from: '2026-11-02', to: '2026-11-04' })
      .expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="lines-2026-11-02-to-2026-11-04.csv"');
    expect(res.text).toBe(
      [
        'platform,store,external_id,order_number,created_at,date,timezone,status,counted,country,position,title_id,title,format,' +
          'product,variant,sku,gtin,product_id,quantity,currency,unit_price,line_total,refunded,base_currency,base_share,' +
          'base_refunded_share,base_net',
        `shopify,mt-ink.myshopify.com,1001,#1001,2026-11-02T10:15:00+01:00,2026-11-02,Europe/Berlin,paid,true,GB,1,${id},'=cmd|x,other,` +
          `'=cmd|x,,'+SKU,,,1,USD,25.00,25.00,0.00,USD,25.00,0.00,25.00`,
        '',
      ].join('\r\n'),
    );
  });

  it('take instants as exclusive bounds and write times in the business zone', async () => {
    const res = await t
      .as('viewer')
      .get('/api/export/orders')
      .query({ from: '2026-11-04T12:00:00+01:00', to: '2026-11-04T13:00:00+01:00' })
      .expect(200);
    expect(res.text.split('\r\n').map((line) => line.split(',')[2])).toEqual(['external_id', `'@SUM(1)`, undefined]);
  });

  it('export the same orders as XLSX, read back with exceljs', async () => {
    const res = await t
      .as('viewer')
      .get('/api/export/orders')
      .query({ from: '2026-11-02', to: '2026-11-04', format: 'xlsx' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(asExcelBuffer(res.body));
    const sheet = workbook.getWorksheet('orders')!;
    const rows = sheet
      .getSheetValues()
      .slice(1)
      .map((row) => (row as unknown[]).slice(1));
    expect(rows[0]).toEqual(HEADER.split(','));
    expect(rows.slice(1)).toEqual([
      [
        'shopify',
        'mt-ink.myshopify.com',
        '1001',
        '#1001',
        '2026-11-02T10:15:00+01:00',
        '2026-11-02',
        'Europe/Berlin',
        'paid',
        true,
        'GB',
        'USD',
        25,
        0,
        'USD',
        25,
        0,
        25,
        "'=cmd|x",
      ],
      [
        'etsy',
        undefined,
        'E-7',
        `'=HYPERLINK("http://x","click")`,
        '2026-11-03T00:30:00+01:00',
        '2026-11-03',
        'Europe/Berlin',
        'paid',
        true,
        'DE',
        'EUR',
        20,
        5,
        'USD',
        21.5,
        5.38,
        16.12,
      ],
      [
        'woocommerce',
        undefined,
        'W,"1"',
        `'-1+2`,
        '2026-11-03T08:00:00+01:00',
        '2026-11-03',
        'Europe/Berlin',
        'cancelled',
        false,
        undefined,
        'USD',
        10,
        0,
        'USD',
        10,
        0,
        10,
      ],
      [
        'shopify',
        `'+44`,
        `'@SUM(1)`,
        `'\tTab`,
        '2026-11-04T12:00:00+01:00',
        '2026-11-04',
        'Europe/Berlin',
        'paid',
        true,
        'FR',
        'GBP',
        15,
        0,
        'USD',
        undefined,
        0,
      ],
      // XML turns a CR into LF on reading (exceljs writes it raw); the quote in front is what counts.
      [
        'shopify',
        undefined,
        'CR',
        `'\nCR`,
        '2026-11-04T13:00:00+01:00',
        '2026-11-04',
        'Europe/Berlin',
        'paid',
        true,
        'US',
        'USD',
        7.5,
        0,
        'USD',
        7.5,
        0,
        7.5,
      ],
    ]);
  });

  it('export daily figures as the dashboard counts them (cancelled, unconverted and refunded)', async () => {
    const csv = await t
      .as('viewer')
      .get('/api/export/daily')
      .query({ from: '2026-11-02', to: '2026-11-04' })
      .expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="daily-2026-11-02-to-2026-11-04.csv"');
    expect(csv.text).toBe(
      [
        'date,timezone,currency,orders,revenue,aov',
        '2026-11-02,Europe/Berlin,USD,1,25.00,25.00',
        '2026-11-03,Europe/Berlin,USD,1,16.12,16.12',
        '2026-11-04,Europe/Berlin,USD,1,7.50,7.50',
        '',
      ].join('\r\n'),
    );
    const xlsx = await t
      .as('viewer')
      .get('/api/export/daily')
      .query({ from: '2026-11-02', to: '2026-11-03', format: 'xlsx' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(asExcelBuffer(xlsx.body));
    expect(
      workbook
        .getWorksheet('daily')!
        .getSheetValues()
        .slice(1)
        .map((row) => (row as unknown[]).slice(1)),
    ).toEqual([
      ['date', 'timezone', 'currency', 'orders', 'revenue', 'aov'],
      ['2026-11-02', 'Europe/Berlin', 'USD', 1, 25, 25],
      ['2026-11-03', 'Europe/Berlin', 'USD', 1, 16.12, 16.12],
    ]);
  });

  it.each([
    ['/api/export/orders', { from: '2026-11-02', to: '2026-11-04', format: 'pdf' }, 'format must be csv or xlsx'],
    ['/api/export/orders', { to: '2026-11-04' }, 'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset'],
    [
      '/api/export/orders',
      { from: '2026-11-02', to: 'soon' },
      'to must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
    ],
    [
      '/api/export/orders',
      { from: '2026-02-31', to: '2026-03-04' },
      'from must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
    ],
    ['/api/export/orders', { from: '2026-11-05', to: '2026-11-04' }, 'from must not be after to'],
    [
      '/api/export/daily',
      { from: '2026-11-02T00:00:00Z', to: '2026-11-04' },
      'from must be a date (YYYY-MM-DD) for the daily export',
    ],
    ['/api/export/daily', { from: '2010-01-01', to: '2026-11-04' }, 'to must be less than 3660 days after from'],
  ])('answer 400 naming the parameter: %s %j', async (path, query, message) => {
    const res = await t.as('viewer').get(path).query(query).expect(400);
    expect(res.body.message).toEqual([message]);
  });
});

describe('csvLinesSql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const COLUMNS: Column[] = [
    { name: 'text', kind: 'text' },
    { name: 'number', kind: 'number' },
    { name: 'flag', kind: 'boolean' },
  ];
  const TEXTS = [
    '',
    'plain',
    'a,b',
    'say "hi"',
    'line\nbreak',
    'cr\rhere',
    'crlf\r\n',
    '=1+1',
    '-1,5',
    '@"x"',
    '+\n',
    '\tTab',
    ' spaced ',
    'é€😀',
    "it's",
    '"',
    ',',
    'a=b',
  ];

  it('writes each row as CsvWriter does, whatever its text', async () => {
    const rows: Cell[][] = [
      ...TEXTS.map((value, i): Cell[] => [value, `${i}.50`, i % 2 === 0]),
      [null, null, null],
      ['-0', '-12.34', false],
    ];
    const expected = new PassThrough();
    const writer = new CsvWriter(expected, COLUMNS);
    const header = text(expected);
    await writer.write(rows);
    await writer.end();
    const select = `SELECT e.v->>'text' AS text, (e.v->>'number')::numeric::text AS number, (e.v->>'flag')::boolean AS flag
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, n) ORDER BY e.n`;
    const lines = (await t.db.dataSource.query(csvLinesSql(select, COLUMNS), [
      JSON.stringify(rows.map(([text, number, flag]) => ({ text, number, flag }))),
    ])) as Array<{ line: string }>;
    expect(['text,number,flag\r\n', ...lines.map((l) => l.line)].join('')).toBe(await header);
  });
});

describe('neutralise', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+44 20', "'+44 20"],
    ['-3', "'-3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(neutralise(input)).toBe(output);
  });
});
