import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UploadFileResult, UploadResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { deflated, repeated, uploadStatusOf, xlsxWith, xmlEntry } from './upload-test-files';

const SAMPLES = join(__dirname, 'fixtures');
const WEEKLY_SAMPLE = readFileSync(join(SAMPLES, 'spotify-weekly-stats.csv'));
const WEEKLY_HEADER = 'Week starting,Title,ISBN,Country,Total listen minutes,Completed listen equivalents';

describe('POST /api/upload: validation, re-uploads, aliases, XLSX layouts', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const query = <T = Record<string, unknown>>(sql: string) => app.db.dataSource.query(sql) as Promise<T[]>;
  const upload = async (files: Array<[string, Buffer | string]>, type?: string): Promise<UploadFileResult[]> => {
    let req = app.as('admin').post('/api/upload');
    for (const [name, content] of files) req = req.attach('files', Buffer.from(content), name);
    if (type) req = req.field('type', type);
    const res = await req;
    expect(res.status).toBe(uploadStatusOf((res.body as UploadResponse).files));
    return (res.body as UploadResponse).files;
  };
  /** Everything an import can touch, to prove a rejected file left no trace. */
  const snapshot = () =>
    query(`SELECT (SELECT count(*) FROM spotify_weekly_stats)::int AS weekly, (SELECT coalesce(sum(minutes), 0)::text FROM spotify_weekly_stats) AS weekly_minutes,
                  (SELECT count(*) FROM spotify_monthly_stats)::int AS monthly, (SELECT count(*) FROM spotify_revenue_lines)::int AS revenue,
                  (SELECT coalesce(sum(net_royalty), 0)::text FROM spotify_revenue_lines) AS royalty`);

  it('answers "already imported" for the same file twice and changes nothing', async () => {
    const [first] = await upload([['weekly.csv', WEEKLY_SAMPLE]]);
    expect(first).toMatchObject({ status: 'imported', rows: 23, inserted: 23, updated: 0, duplicate: false });
    const before = await snapshot();
    const [second] = await upload([['weekly-again.csv', WEEKLY_SAMPLE]]);
    expect(second).toEqual({
      name: 'weekly-again.csv',
      kind: 'spotify',
      type: 'spotify-weekly',
      platform: null,
      recognised: 'Spotify weekly stats',
      status: 'imported',
      rows: 0,
      inserted: 0,
      updated: 0,
      skipped: 0,
      errors: [],
      duplicate: true,
      message: 'already imported: a file with the same content was imported before; nothing changed',
      sheets: [],
    });
    expect(await snapshot()).toEqual(before);
    const history = await app.as('admin').get('/api/upload/history?limit=2');
    expect(
      history.body.uploads.map((u: { fileName: string; status: string; rows: number; inserted: number }) => [
        u.fileName,
        u.status,
        u.rows,
        u.inserted,
      ]),
    ).toEqual([
      ['weekly-again.csv', 'duplicate', 0, 0],
      ['weekly.csv', 'imported', 23, 23],
    ]);
    expect(history.body.uploads[0].fileHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('replaces the rows a re-upload covers: changed rows update, unchanged rows stay, new rows insert', async () => {
    const lines = WEEKLY_SAMPLE.toString().trimEnd().split('\n');
    lines[1] = '2025-04-28,The Salt Road,9781917000012,US,"19,000",27.78';
    lines.push('2025-05-19,The Salt Road,9781917000012,US,17000,24.85');
    const [result] = await upload([['weekly-corrected.csv', lines.join('\n')]]);
    expect(result).toMatchObject({ status: 'imported', rows: 24, inserted: 1, updated: 1, errors: [] });
    expect(await query(`SELECT count(*)::int AS n, sum(minutes)::text AS minutes FROM spotify_weekly_stats`)).toEqual([
      { n: 24, minutes: '137732.00' },
    ]);
  });

  it('stores titles with backslashes, quotes and line breaks as written (whitespace runs collapsed)', async () => {
    const csv = `${WEEKLY_HEADER}\n2025-09-01,"Back\\slash ""Quoted""\nTitle",,GB,10,\n`;
    const [result] = await upload([['odd-titles.csv', csv]]);
    expect(result).toMatchObject({ status: 'imported', rows: 1, inserted: 1 });
    expect(
      await query(`SELECT title, title_key, isbn, completes FROM spotify_weekly_stats WHERE week_start = '2025-09-01'`),
    ).toEqual([
      { title: 'Back\\slash "Quoted" Title', title_key: 'back\\slash "quoted" title', isbn: '', completes: null },
    ]);
  });

  it('rejects a weekly CSV with bad rows, listing row and column of each, and writes nothing', async () => {
    const before = await snapshot();
    const csv = [
      WEEKLY_HEADER,
      '2025-06-02,The Salt Road,9781917000012,US,1000,1.5',
      '2025-06-31,The Salt Road,9781917000012,US,1000,1.5',
      '2025-06-09,,9781917000012,US,1000,1.5',
      '2025-06-09,The Salt Road,97819,US,1000,1.5',
      '2025-06-09,The Salt Road,9781917000012,Atlantis,1000,1.5',
      '2025-06-09,The Salt Road,9781917000012,GB,12;5,1.5',
      '2025-06-09,The Salt Road,9781917000012,GB,"12,3,4",x',
    ].join('\n');
    const [result] = await upload([['weekly-bad.csv', csv]]);
    expect(result).toEqual({
      name: 'weekly-bad.csv',
      kind: 'spotify',
      type: 'spotify-weekly',
      platform: null,
      recognised: 'Spotify weekly stats',
      status: 'rejected',
      rows: 7,
      inserted: 0,
      updated: 0,
      skipped: 0,
      duplicate: false,
      sheets: [],
      errors: [
        { row: 3, column: 'Week starting', message: '"2025-06-31" is not a date like 2025-04-28' },
        { row: 4, column: 'Title', message: 'is empty' },
        { row: 5, column: 'ISBN', message: '"97819" is not an ISBN' },
        { row: 6, column: 'Country', message: '"Atlantis" is not a country code or name' },
        { row: 7, column: 'Total listen minutes', message: '"12;5" is not a number' },
        { row: 8, column: 'Total listen minutes', message: '"12,3,4" is not a number' },
        { row: 8, column: 'Completed listen equivalents', message: '"x" is not a number' },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a monthly CSV without a required column, and one that repeats a key', async () => {
    const before = await snapshot();
    const [missing, repeatedKey] = await upload([
      ['monthly-no-country.csv', 'Month,Title,ISBN,Total listen minutes\n2025-07,The Salt Road,9781917000012,100\n'],
      [
        'monthly-twice.csv',
        'Month,Title,ISBN,Country,Listening minutes\n2025-07,The Salt Road,9781917000012,US,100\n2025-08,The Salt Road,,US,5\n2025-07,The Salt Road,978-1-917000-01-2,us,200\n',
      ],
    ]);
    expect(missing).toMatchObject({
      type: 'spotify-monthly',
      status: 'rejected',
      errors: [{ row: 1, column: 'Country', message: 'required column is missing' }],
    });
    expect(repeatedKey).toMatchObject({
      type: 'spotify-monthly',
      status: 'rejected',
      rows: 3,
      errors: [{ row: 4, column: null, message: 'repeats row 2 (same period 2025-07-01, title/ISBN and country)' }],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a revenue XLSX with bad cells (sheet, row and column named) and keeps the other files of the request', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Statement');
    sheet.addRow(['Royalty statement']);
    sheet.addRow([]);
    sheet.addRow([
      'Reporting period',
      'Title',
      'ISBN',
      'Territory',
      'Revenue model',
      'Listen minutes',
      'Units',
      'Currency',
      'Net royalty',
    ]);
    sheet.addRow([
      '2025-07',
      'The Salt Road',
      '9781917000012',
      'US',
      'Premium streaming (pool)',
      1000,
      null,
      'USD',
      8.41,
    ]);
    sheet.addRow([
      '2025-07',
      'The Salt Road',
      '9781917000012',
      'GB',
      'Premium streaming (pool)',
      1000,
      null,
      'US$',
      'lots',
    ]);
    sheet.addRow(['July', 'The Salt Road', '9781917000012', 'DE', '', 1000, null, 'USD', 8.41]);
    const before = await snapshot();
    const [bad, good] = await upload([
      ['revenue-bad.xlsx', Buffer.from(await workbook.xlsx.writeBuffer())],
      [
        'monthly-good.csv',
        'Month,Title,ISBN,Country,Total listen minutes\n2025-07,The Salt Road,9781917000012,US,100\n',
      ],
    ]);
    expect(bad).toMatchObject({
      type: 'spotify-revenue',
      status: 'rejected',
      rows: 3,
      sheets: ['Statement'],
      errors: [
        { sheet: 'Statement', row: 5, column: 'Currency', message: '"US$" is not a currency code like USD' },
        { sheet: 'Statement', row: 5, column: 'Net royalty', message: '"lots" is not a number' },
        { sheet: 'Statement', row: 6, column: 'Reporting period', message: '"July" is not a month like 2025-04' },
        { sheet: 'Statement', row: 6, column: 'Revenue model', message: 'is empty' },
      ],
    });
    expect(good).toMatchObject({ type: 'spotify-monthly', status: 'imported', rows: 1, inserted: 1 });
    expect(await snapshot()).toEqual([{ ...before[0], monthly: (before[0]!.monthly as number) + 1 }]);
  });

  it('reads an XLSX over several sheets: header below title rows, blank and totals rows skipped, hours × 60, country names', async () => {
    const workbook = new ExcelJS.Workbook();
    const notes = workbook.addWorksheet('Read me');
    notes.addRow(['This workbook has one sheet per month.']);
    for (const [name, week, rows] of [
      [
        'June',
        new Date(Date.UTC(2025, 5, 2)),
        [
          ['Tidewater: Poems', 'United States', '1,000.5'],
          ['Tidewater: Poems', 'Germany', 2],
        ],
      ],
      ['July', '2025-07-07', [['Tidewater: Poems', 'us', 0.25]]],
    ] as const) {
      const sheet = workbook.addWorksheet(name);
      sheet.addRow([`Listening report — ${name}`]);
      sheet.addRow(['Publisher: Harbour & Quill Press']);
      sheet.addRow([]);
      sheet.addRow(['WEEK', 'Book title', 'ISBN 13', 'Market', 'Listening hours']);
      for (const [title, country, hours] of rows) sheet.addRow([week, title, '978-1-917000-03-6', country, hours]);
      sheet.addRow([]);
      sheet.addRow(['Total', '', '', '', 9999]);
    }
    const [result] = await upload([['weekly-hours.xlsx', Buffer.from(await workbook.xlsx.writeBuffer())]]);
    expect(result).toMatchObject({
      type: 'spotify-weekly',
      status: 'imported',
      rows: 3,
      inserted: 3,
      errors: [],
      sheets: ['June', 'July'],
    });
    expect(
      await query(
        `SELECT week_start::text, country, minutes::text, isbn FROM spotify_weekly_stats WHERE title = 'Tidewater: Poems' AND week_start >= '2025-06-01' ORDER BY 1, 2`,
      ),
    ).toEqual([
      { week_start: '2025-06-02', country: 'DE', minutes: '120.00', isbn: '9781917000036' },
      { week_start: '2025-06-02', country: 'US', minutes: '60030.00', isbn: '9781917000036' },
      { week_start: '2025-07-07', country: 'US', minutes: '15.00', isbn: '9781917000036' },
    ]);
  });

  it('matches headers through the alias table, which an admin extends without a code change', async () => {
    const csv = 'Semaine;Title;Country;Streamed minutes\n2025-08-04;Salt Road Special;FR;1.234,5\n';
    const [before] = await upload([['fr.csv', csv]]);
    expect(before).toMatchObject({ status: 'rejected', type: null, errors: [{ row: null, column: null }] });
    const put = await app
      .as('admin')
      .put('/api/upload/aliases')
      .send({
        aliases: [
          { alias: 'Semaine', field: 'week' },
          { alias: 'Streamed  minutes', field: 'minutes' },
        ],
      });
    expect(put.status).toBe(200);
    expect(put.body.aliases).toEqual(
      expect.arrayContaining([{ alias: 'Semaine', field: 'week', factor: 1, builtin: false }]),
    );
    const [after] = await upload([['fr-again.csv', csv.replace('1.234,5', '1234.5')]]);
    expect(after).toMatchObject({ status: 'imported', type: 'spotify-weekly', rows: 1, inserted: 1 });
    expect(await query(`SELECT title_key, minutes::text FROM spotify_weekly_stats WHERE country = 'FR'`)).toEqual([
      { title_key: 'salt road special', minutes: '1234.50' },
    ]);
    const bad = await app
      .as('admin')
      .put('/api/upload/aliases')
      .send({ aliases: [{ alias: 'x', field: 'colour' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('field');
    const list = await app.as('admin').get('/api/upload/aliases');
    expect(list.body.aliases).toEqual(
      expect.arrayContaining([{ alias: 'Hours', field: 'minutes', factor: 60, builtin: true }]),
    );
  });

  it('reads every file as the given type and says when the header does not fit it', async () => {
    // A trailing blank line: other bytes than the imported sample, so not a duplicate.
    const [result] = await upload([['weekly-as-revenue.csv', `${WEEKLY_SAMPLE.toString()}\n`]], 'spotify-revenue');
    expect(result).toMatchObject({
      type: 'spotify-revenue',
      status: 'rejected',
      errors: [
        { row: 1, column: 'Reporting period', message: 'required column is missing' },
        { row: 1, column: 'Revenue model', message: 'required column is missing' },
        { row: 1, column: 'Net royalty', message: 'required column is missing' },
      ],
    });
    const wrong = await app
      .as('admin')
      .post('/api/upload')
      .field('type', 'orders')
      .attach('files', WEEKLY_SAMPLE, 'w.csv');
    expect(wrong.status).toBe(400);
  });

  it('rejects files that are not what their name says, zip bombs and XLSX with millions of cells, quickly', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    // 300 MB of zeros, declared honestly; and 40 MB declared as 1 KB (a lying archive).
    const zeros = Buffer.alloc(1024 * 1024);
    const honestBomb = await xlsxWith([
      { name: 'xl/worksheets/sheet1.xml', ...(await deflated(repeated(zeros, 300))) },
    ]);
    const lyingBomb = await xlsxWith([
      { name: 'xl/worksheets/sheet1.xml', ...(await deflated(repeated(zeros, 40))), declaredSize: 1024 },
    ]);
    const huge = await xlsxWith([
      await xmlEntry(
        'xl/worksheets/sheet1.xml',
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:J1000000"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Week</t></is></c></row></sheetData></worksheet>',
      ),
    ]);
    const before = await snapshot();
    const results = await upload([
      ['logo.csv', png],
      ['notes.xlsx', 'Week starting,Title\n'],
      ['bomb.xlsx', honestBomb],
      ['lying-bomb.xlsx', lyingBomb],
      ['ten-million-cells.xlsx', huge],
      ['report.csv', honestBomb],
      ['excel-unicode.csv', Buffer.from(`\ufeff${WEEKLY_HEADER}\n`, 'utf16le')],
    ]);
    expect(results.map((r) => [r.name, r.status, r.errors])).toEqual([
      [
        'logo.csv',
        'rejected',
        [{ row: null, column: null, message: 'logo.csv is a PNG image, not a CSV, XLSX or JSON file' }],
      ],
      [
        'notes.xlsx',
        'rejected',
        [{ row: null, column: null, message: 'notes.xlsx is named .xlsx but is not an XLSX (ZIP) file' }],
      ],
      [
        'bomb.xlsx',
        'rejected',
        [{ row: null, column: null, message: 'bomb.xlsx expands to more than 256 MB; send large reports as CSV' }],
      ],
      [
        'lying-bomb.xlsx',
        'rejected',
        [
          {
            row: null,
            column: null,
            message: 'lying-bomb.xlsx looks like a ZIP bomb (xl/worksheets/sheet1.xml expands more than 200-fold)',
          },
        ],
      ],
      [
        'ten-million-cells.xlsx',
        'rejected',
        [
          {
            row: null,
            column: null,
            message:
              'ten-million-cells.xlsx has 10,000,000 cells in xl/worksheets/sheet1.xml; the limit for XLSX is 2,000,000 (send large reports as CSV)',
          },
        ],
      ],
      [
        'report.csv',
        'rejected',
        [{ row: null, column: null, message: 'report.csv is a ZIP/XLSX file but is named .csv' }],
      ],
      [
        'excel-unicode.csv',
        'rejected',
        [{ row: null, column: null, message: 'excel-unicode.csv is UTF-16 text; save it as CSV UTF-8' }],
      ],
    ]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /api/upload: request size limit', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 413 with a clear message over UPLOAD_MAX_MB and stores nothing', async () => {
    const big = Buffer.concat([Buffer.from(`${WEEKLY_HEADER}\n`), Buffer.alloc(1536 * 1024, 'x')]);
    const res = await app.as('admin').post('/api/upload').attach('files', big, 'big.csv');
    expect(res.status).toBe(413);
    expect(res.body.message).toBe(
      'Upload too large: the limit is 1 MB per request (UPLOAD_MAX_MB). Split the files or send fewer at once.',
    );
    expect(await app.db.dataSource.query(`SELECT count(*)::int AS n FROM upload_log`)).toEqual([{ n: 0 }]);
  });
});

describe('upload routes: authentication and roles', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('requires authentication', async () => {
    // Without a file: the guard answers before any body is read (a client still sending one can meet EPIPE).
    expect((await app.anonymous().post('/api/upload')).status).toBe(401);
    for (const path of ['/api/upload/history', '/api/upload/aliases'])
      expect((await app.anonymous().get(path)).status).toBe(401);
  });

  it('is for admins only', async () => {
    expect((await app.as('viewer').post('/api/upload').attach('files', WEEKLY_SAMPLE, 'w.csv')).status).toBe(403);
    expect((await app.as('viewer').get('/api/upload/history')).status).toBe(403);
    expect((await app.as('viewer').put('/api/upload/aliases').send({ aliases: [] })).status).toBe(403);
    expect(await app.db.dataSource.query(`SELECT count(*)::int AS n FROM spotify_weekly_stats`)).toEqual([{ n: 0 }]);
  });

  it('records who uploaded', async () => {
    const [admin]: Array<{ id: string }> = await app.db.dataSource.query(
      `SELECT id::text AS id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1`,
    );
    await app.as('admin').post('/api/upload').attach('files', WEEKLY_SAMPLE, 'w.csv');
    const history = await app.as('admin').get('/api/upload/history');
    expect(history.body.uploads[0]).toMatchObject({
      fileName: 'w.csv',
      status: 'imported',
      userId: Number(admin!.id),
      rows: 23,
      inserted: 23,
      errorCount: 0,
    });
  });
});
