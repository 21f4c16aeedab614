import type {
  SpotifyMonthsResponse,
  SpotifyQuarterlyProjectionResponse,
  SpotifyStatementsResponse,
  TitleDetailResponse,
  TitlesResponse,
  UploadFileResult,
  UploadResponse,
} from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';
import { statementWorkbook, StatementSpec } from './fixtures/statement-workbook';

/** June 2025: three channels, Spotify mixed with Google Play and Audiobooks.com (invented titles, amounts). */
const JUNE: StatementSpec = {
  month: '2025-06',
  invoiceDate: '2025-07-01',
  dueDate: '2025-08-11',
  channels: {
    Retail: [
      {
        title: 'The Copper Orchard',
        isbn: '9781917000104',
        salesType: 'Retail',
        partner: 'Spotify',
        territory: 'US',
        payable: 6.5,
      },
      {
        title: 'The Copper Orchard',
        isbn: '9781917000104',
        salesType: 'Retail',
        partner: 'Google Play',
        territory: 'GB',
        payable: 4.8,
      },
    ],
    Subscription: [
      {
        title: 'Winter Ferry',
        salesType: 'Subscription-Credit Based',
        partner: 'Audiobooks.com',
        territory: 'US',
        payable: 2.16,
      },
    ],
    Pool: [
      {
        title: 'The Copper Orchard',
        isbn: '9781917000104',
        salesType: 'Pool',
        partner: 'Spotify',
        territory: 'US',
        payable: 40.04,
      },
      {
        title: 'The Copper Orchard',
        isbn: '9781917000104',
        salesType: 'Pool',
        partner: 'Spotify',
        territory: 'DE',
        payable: 0.2,
      },
      { title: 'Winter Ferry', salesType: 'Pool', partner: 'Spotify', territory: 'US', payable: 12.5 },
    ],
  },
};

const MONTHLY = [
  'Month,Title,ISBN,Country,Total listen minutes',
  '2025-05,The Copper Orchard,9781917000104,US,4000',
  '2025-06,The Copper Orchard,9781917000104,US,5000',
  '2025-06,Winter Ferry,,US,1000',
  '2025-07,The Copper Orchard,9781917000104,US,7000',
].join('\n');

/** 1 September 2025, Europe/Berlin: June and July are over, July has no statement yet. */
const NOW = '2025-09-01T10:00:00+02:00';

const upload = async (app: TestApp, files: Array<[Buffer, string]>): Promise<UploadFileResult[]> => {
  let req = app.as('admin').post('/api/upload');
  for (const [buffer, name] of files) req = req.attach('files', buffer, name);
  const res = await req;
  // 422 when every file was refused, 200 when one landed; the per-file results either way.
  const results = (res.body as UploadResponse).files;
  expect(res.status).toBe(results.every((file) => file.status === 'rejected') ? 422 : 200);
  return results;
};

const count = async (app: TestApp, table: string): Promise<number> =>
  ((await app.db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>)[0]!.n;

describe('Royalty statements (Digital Royalty XLSX)', () => {
  let app: TestApp;
  let juneFile: Buffer;

  beforeAll(async () => {
    app = await createTestApp();
    const [monthly] = await upload(app, [[Buffer.from(MONTHLY), 'monthly.csv']]);
    expect(monthly!.status).toBe('imported');
  });
  afterAll(async () => {
    await app.close();
  });

  it('imports a statement of three channels with mixed partners, line by line, through the one intake', async () => {
    juneFile = await statementWorkbook(JUNE);
    const [file] = await upload(app, [[juneFile, 'june-2025.xlsx']]);
    expect(file).toMatchObject({
      kind: 'spotify',
      type: 'spotify-statement',
      status: 'imported',
      recognised: 'Digital Royalty statement for 2025-06, 6 lines',
      rows: 6,
      inserted: 6,
      updated: 0,
      errors: [],
      sheets: ['Summary', 'Retail', 'Subscription', 'Pool'],
    });
    const lines = await app.db.dataSource.query(
      `SELECT t.name AS title, to_char(l.month, 'YYYY-MM') AS month, l.territory, l.partner, l.channel,
              l.is_spotify, l.is_pool, l.royalty_payable::text AS payable
         FROM spotify_statement_lines l
         JOIN spotify_title_editions k ON k.title_key = l.title_key
         JOIN editions e ON e.id = k.edition_id JOIN titles t ON t.id = e.title_id
        ORDER BY l.channel, l.sheet_row`,
    );
    expect(lines).toEqual([
      {
        title: 'The Copper Orchard',
        month: '2025-06',
        territory: 'US',
        partner: 'Spotify',
        channel: 'Pool',
        is_spotify: true,
        is_pool: true,
        payable: '40.0400',
      },
      {
        title: 'The Copper Orchard',
        month: '2025-06',
        territory: 'DE',
        partner: 'Spotify',
        channel: 'Pool',
        is_spotify: true,
        is_pool: true,
        payable: '0.2000',
      },
      {
        title: 'Winter Ferry',
        month: '2025-06',
        territory: 'US',
        partner: 'Spotify',
        channel: 'Pool',
        is_spotify: true,
        is_pool: true,
        payable: '12.5000',
      },
      {
        title: 'The Copper Orchard',
        month: '2025-06',
        territory: 'US',
        partner: 'Spotify',
        channel: 'Retail',
        is_spotify: true,
        is_pool: false,
        payable: '6.5000',
      },
      {
        title: 'The Copper Orchard',
        month: '2025-06',
        territory: 'GB',
        partner: 'Google Play',
        channel: 'Retail',
        is_spotify: false,
        is_pool: false,
        payable: '4.8000',
      },
      {
        title: 'Winter Ferry',
        month: '2025-06',
        territory: 'US',
        partner: 'Audiobooks.com',
        channel: 'Subscription',
        is_spotify: false,
        is_pool: false,
        payable: '2.1600',
      },
    ]);
    // The monthly stats' rows and the statement's lines met on one title each (ISBN, then the title).
    expect(await count(app, 'titles')).toBe(2);
  });

  it('lists the statement with its Spotify and other money, and the payments still due', async () => {
    const res = await app.as('viewer').get(`/api/spotify/statements?now=${encodeURIComponent(NOW)}`);
    expect(res.status).toBe(200);
    const body = res.body as SpotifyStatementsResponse;
    expect(body.statements).toEqual([
      {
        id: expect.any(Number),
        source: 'findaway',
        period: '2025-06',
        invoiceNumber: '2025-06 Digital Royalty',
        invoiceDate: '2025-07-01',
        dueDate: '2025-08-11',
        netAmount: 66.2,
        currency: 'USD',
        baseNetAmount: 66.2,
        spotifyAmount: 59.24,
        otherAmount: 6.96,
        channels: [
          { channel: 'Retail', currency: 'USD', amount: 11.3 },
          { channel: 'Subscription', currency: 'USD', amount: 2.16 },
          { channel: 'Pool', currency: 'USD', amount: 52.74 },
        ],
        file: 'june-2025.xlsx',
        uploadedAt: expect.any(String),
        uploadedBy: 'admin@test.local',
        versions: 1,
      },
    ]);
    // June's statement was due on 11 August; May (4,000 minutes × 0.00841) and July (7,000) have none yet:
    // each is due as long after its end as June's was (42 days).
    expect(body.upcoming).toEqual([
      { period: '2025-05', dueDate: '2025-07-12', amount: 33.64, basis: 'estimate' },
      { period: '2025-07', dueDate: '2025-09-11', amount: 58.87, basis: 'estimate' },
    ]);
    expect(body.cadence).toBe('monthly');
  });

  it('shows months as estimated until a statement confirms them, with the difference and the source', async () => {
    const res = await app.as('viewer').get(`/api/spotify/months?months=4&now=${encodeURIComponent(NOW)}`);
    expect(res.status).toBe(200);
    const body = res.body as SpotifyMonthsResponse;
    expect(body.months.map(({ source, ...month }) => [month, source?.label ?? null])).toEqual([
      [
        {
          month: '2025-06',
          minutes: 6000,
          estimatedRevenue: 50.46,
          confirmedRevenue: 52.74,
          status: 'confirmed',
          difference: 2.28,
        },
        'june-2025.xlsx',
      ],
      [
        {
          month: '2025-07',
          minutes: 7000,
          estimatedRevenue: 58.87,
          confirmedRevenue: null,
          status: 'estimated',
          difference: null,
        },
        null,
      ],
      [
        {
          month: '2025-08',
          minutes: 0,
          estimatedRevenue: 0,
          confirmedRevenue: null,
          status: 'estimated',
          difference: null,
        },
        null,
      ],
      [
        {
          month: '2025-09',
          minutes: 0,
          estimatedRevenue: 0,
          confirmedRevenue: null,
          status: 'estimated',
          difference: null,
        },
        null,
      ],
    ]);
    expect(body.months[0]!.source).toEqual({
      kind: 'statement',
      label: 'june-2025.xlsx',
      at: expect.any(String),
      by: 'admin@test.local',
    });
  });

  it('changes nothing when the same file comes twice', async () => {
    const before = await app.db.dataSource.query(`SELECT id, versions FROM spotify_statements`);
    const [again] = await upload(app, [[juneFile, 'june-2025 (1).xlsx']]);
    expect(again).toMatchObject({ status: 'imported', duplicate: true, inserted: 0, updated: 0 });
    expect(await app.db.dataSource.query(`SELECT id, versions FROM spotify_statements`)).toEqual(before);
    expect(await count(app, 'spotify_statement_lines')).toBe(6);
  });

  it.each([
    [
      'a channel off by a cent',
      { ...JUNE, channelTotals: { Pool: '52.75' }, netAmount: '66.21' },
      [
        'the lines of sheet "Pool" add up to 52.74 USD, but the Summary gives 52.75 USD for that channel; nothing was stored',
        "the lines of all channel sheets add up to 66.20 USD, but the Summary's Net Amount is 66.21 USD; nothing was stored",
      ],
    ],
    [
      'a net amount off by a cent',
      { ...JUNE, netAmount: '66.19' },
      [
        "the lines of all channel sheets add up to 66.20 USD, but the Summary's Net Amount is 66.19 USD; nothing was stored",
      ],
    ],
    [
      'a channel sheet missing',
      { ...JUNE, omitSheets: ['Subscription'] },
      [
        'the Summary lists the channel "Subscription", but the workbook has no sheet of that name (its sheets: Summary, Retail, Pool); nothing was stored',
      ],
    ],
  ])('refuses %s with the figures, storing nothing', async (_case, spec, messages) => {
    const [file] = await upload(app, [[await statementWorkbook({ ...spec, month: '2025-05' }), 'bad.xlsx']]);
    expect(file!.status).toBe('rejected');
    expect(file!.type).toBe('spotify-statement');
    expect(file!.errors.map((error) => error.message)).toEqual(messages);
    expect(await count(app, 'spotify_statements')).toBe(1);
  });

  it('refuses a statement whose Summary sheet is missing, saying why', async () => {
    const workbook = await statementWorkbook({ ...JUNE, month: '2025-05' });
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
    book.removeWorksheet(book.getWorksheet('Summary')!.id);
    const [file] = await upload(app, [[Buffer.from(await book.xlsx.writeBuffer()), 'no-summary.xlsx']]);
    expect(file).toMatchObject({ status: 'rejected', type: 'spotify-statement' });
    expect(file!.errors.map((error) => error.message)).toEqual([
      'this is a royalty statement without its Summary sheet (sheets: Retail, Subscription, Pool): its period, due date and net amount are only there, so nothing was stored',
    ]);
    expect(await count(app, 'spotify_statements')).toBe(1);
  });

  it('replaces a statement with its corrected re-issue for the same period, and says so', async () => {
    const corrected: StatementSpec = {
      ...JUNE,
      invoiceDate: '2025-07-03',
      channels: { ...JUNE.channels, Pool: JUNE.channels.Pool!.map((line) => ({ ...line, payable: line.payable + 1 })) },
    };
    const [file] = await upload(app, [[await statementWorkbook(corrected), 'june-2025-corrected.xlsx']]);
    expect(file).toMatchObject({
      status: 'imported',
      recognised:
        'Digital Royalty statement for 2025-06, 6 lines; replaces the earlier statement of that period (june-2025.xlsx)',
      inserted: 0,
      updated: 6,
    });
    const res = await app.as('viewer').get(`/api/spotify/statements?now=${encodeURIComponent(NOW)}`);
    const [statement] = (res.body as SpotifyStatementsResponse).statements;
    expect(statement).toMatchObject({
      netAmount: 69.2,
      spotifyAmount: 62.24,
      file: 'june-2025-corrected.xlsx',
      versions: 2,
    });
    expect(await count(app, 'spotify_statement_lines')).toBe(6);
    const months = await app.as('viewer').get(`/api/spotify/months?months=4&now=${encodeURIComponent(NOW)}`);
    expect((months.body as SpotifyMonthsResponse).months[0]).toMatchObject({
      confirmedRevenue: 55.74,
      difference: 5.28,
    });
  });

  it("gives each title its confirmed Spotify money and, apart, its other partners' audiobook income", async () => {
    const res = await app
      .as('viewer')
      .get('/api/titles')
      .query({ from: '2025-06-01', to: '2025-06-30', now: NOW })
      .expect(200);
    const titles = (res.body as TitlesResponse).titles.map((t) => [
      t.title,
      t.spotify.confirmedRevenue,
      t.otherAudiobook,
    ]);
    // The corrected June statement: pool 41.04 + 1.20 and à-la-carte 6.50; Google Play 4.80 is not Spotify.
    expect(titles).toEqual([
      ['The Copper Orchard', 48.74, { revenue: 4.8, partners: [{ partner: 'Google Play', revenue: 4.8 }] }],
      ['Winter Ferry', 13.5, { revenue: 2.16, partners: [{ partner: 'Audiobooks.com', revenue: 2.16 }] }],
    ]);
    const id = (res.body as TitlesResponse).titles[0]!.id;
    const detail = await app
      .as('viewer')
      .get(`/api/titles/${id}`)
      .query({ from: '2025-06-01', to: '2025-07-31', now: NOW })
      .expect(200);
    const body = detail.body as TitleDetailResponse;
    expect(body.spotify.months.map((m) => [m.month, m.minutes, m.confirmedRevenue])).toEqual([
      ['2025-06', 5000, 48.74],
      ['2025-07', 7000, null],
    ]);
    expect(body.otherAudiobook).toEqual({ revenue: 4.8, partners: [{ partner: 'Google Play', revenue: 4.8 }] });
  });

  it('finds renamed columns through the alias table: an admin fix, not a code change', async () => {
    const spec: StatementSpec = { ...JUNE, month: '2025-04', renamed: { Partner: 'Sales Channel Partner' } };
    const [refused] = await upload(app, [[await statementWorkbook(spec), 'april.xlsx']]);
    expect(refused!.errors.map((error) => error.message)).toEqual([
      'sheet "Retail" has no "Partner" column in its first row (add the header\'s name as an alias in Settings if it was renamed)',
      'sheet "Subscription" has no "Partner" column in its first row (add the header\'s name as an alias in Settings if it was renamed)',
      'sheet "Pool" has no "Partner" column in its first row (add the header\'s name as an alias in Settings if it was renamed)',
    ]);
    const aliases = await app
      .as('admin')
      .put('/api/upload/aliases')
      .send({ aliases: [{ alias: 'Sales Channel Partner', field: 'partner' }] });
    expect(aliases.status).toBe(200);
    const [imported] = await upload(app, [[await statementWorkbook(spec), 'april.xlsx']]);
    expect(imported).toMatchObject({
      status: 'imported',
      recognised: 'Digital Royalty statement for 2025-04, 6 lines',
    });
  });
});

describe('A statement in another currency', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('is stored in its currency and converted with the rate of its invoice date once that rate exists', async () => {
    const spec: StatementSpec = {
      month: '2025-06',
      invoiceDate: '2025-07-01',
      dueDate: '2025-08-11',
      currency: 'EUR',
      channels: {
        Pool: [{ title: 'Salt and Ash', salesType: 'Pool', partner: 'Spotify', territory: 'DE', payable: 10 }],
        Retail: [{ title: 'Salt and Ash', salesType: 'Retail', partner: 'Google Play', territory: 'FR', payable: 5 }],
      },
    };
    const [file] = await upload(app, [[await statementWorkbook(spec), 'eur.xlsx']]);
    expect(file!.status).toBe('imported');
    const before = await app.as('viewer').get(`/api/spotify/statements?now=${encodeURIComponent(NOW)}`);
    expect((before.body as SpotifyStatementsResponse).statements[0]).toMatchObject({
      netAmount: 15,
      currency: 'EUR',
      baseNetAmount: null,
      spotifyAmount: null,
    });
    // Monday 30 June's rate converts an invoice dated Tuesday 1 July that has none (the latest within 7 days).
    const rates = await app
      .as('admin')
      .post('/api/fx/rates')
      .send({ rates: [{ date: '2025-06-30', currency: 'EUR', rate: 1.1712 }] });
    expect(rates.status).toBe(200);
    const after = await app.as('viewer').get(`/api/spotify/statements?now=${encodeURIComponent(NOW)}`);
    expect((after.body as SpotifyStatementsResponse).statements[0]).toMatchObject({
      netAmount: 15,
      currency: 'EUR',
      baseNetAmount: 17.57,
      spotifyAmount: 11.71,
      otherAmount: 5.86,
    });
    const months = await app.as('viewer').get(`/api/spotify/months?months=3&now=${encodeURIComponent(NOW)}`);
    expect((months.body as SpotifyMonthsResponse).months[0]).toMatchObject({ month: '2025-07', status: 'estimated' });
    const june = await app.as('viewer').get(`/api/spotify/months?months=4&now=${encodeURIComponent(NOW)}`);
    expect((june.body as SpotifyMonthsResponse).months[0]).toMatchObject({ month: '2025-06', confirmedRevenue: 11.71 });
  });
});

describe('Quarters built from months, and the honest projection', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    // The last four quarters before 2026-Q2, as demo data stores them (SPEC §2 figures, shifted a quarter).
    await app.db.dataSource.query(
      `INSERT INTO spotify_quarter_actuals (quarter, revenue, minutes, completes, source) VALUES
         ('2025-Q2', 8317, 553075, NULL, 'demo'), ('2025-Q3', 14354, 1707582, NULL, 'demo'),
         ('2025-Q4', 9249, 894829, NULL, 'demo'), ('2026-Q1', 4822, 429977, NULL, 'demo')`,
    );
    // 2026-Q2 starts on Wednesday 1 April; the weekly data starts on Monday 20 April, its 20th day.
    const weekly = [
      'Week starting,Title,ISBN,Country,Total listen minutes',
      '2026-04-20,Salt and Ash,,US,7000',
      '2026-04-27,Salt and Ash,,US,7000',
      '2026-05-04,Salt and Ash,,US,7000',
    ].join('\n');
    expect((await upload(app, [[Buffer.from(weekly), 'weekly.csv']]))[0]!.status).toBe('imported');
  });
  afterAll(async () => {
    await app.close();
  });

  it('divides by the days the data covers, not the days since the quarter began', async () => {
    const res = await app
      .as('viewer')
      .get(`/api/spotify/quarterly-projection?now=${encodeURIComponent('2026-05-13T12:00:00+02:00')}`);
    const body = res.body as SpotifyQuarterlyProjectionResponse;
    // 21,000 minutes over 20 April–10 May (21 days) → 91,000 over the quarter's 91 days (not 21,000 / 43 × 91).
    // The band: the lowest and highest unrounded rate of the four quarters, widened to the current rate:
    // 91,000 × 14,354 / 1,707,582 = 764.95 (0.0084060… < 0.00841), 91,000 × 8,317 / 553,075 = 1,368.43
    // (with the rounded 0.01504 it would be 1,368.64).
    expect(body.projection).toEqual({
      quarter: '2026-Q2',
      minutesToDate: 21000,
      daysElapsed: 21,
      coveredFrom: '2026-04-20',
      minutesFrom: 'weekly',
      daysInQuarter: 91,
      projectedMinutes: 91000,
      revenue: { low: 764.95, expected: 765.31, high: 1368.43 },
    });
    expect(body.quarters.map((q) => [q.quarter, q.source, q.complete, q.sources])).toEqual([
      ['2025-Q2', 'demo', true, [{ kind: 'demo', label: 'demo', at: null, by: null }]],
      ['2025-Q3', 'demo', true, [{ kind: 'demo', label: 'demo', at: null, by: null }]],
      ['2025-Q4', 'demo', true, [{ kind: 'demo', label: 'demo', at: null, by: null }]],
      ['2026-Q1', 'demo', true, [{ kind: 'demo', label: 'demo', at: null, by: null }]],
    ]);
    expect(body.currentRateSource).toEqual({
      kind: 'setting',
      label: 'default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)',
      at: null,
      by: null,
    });
  });

  it('uses the monthly stats where they cover more of the quarter than the weekly ones', async () => {
    const monthly = ['Month,Title,ISBN,Country,Total listen minutes', '2026-04,Salt and Ash,,US,27000'].join('\n');
    expect((await upload(app, [[Buffer.from(monthly), 'monthly.csv']]))[0]!.status).toBe('imported');
    // On Monday 4 May the weekly data covers 20 April–4 May (15 days); April's monthly stats cover 30.
    const res = await app
      .as('viewer')
      .get(`/api/spotify/quarterly-projection?now=${encodeURIComponent('2026-05-04T12:00:00+02:00')}`);
    const body = res.body as SpotifyQuarterlyProjectionResponse;
    expect(body.projection).toMatchObject({
      minutesToDate: 27000,
      daysElapsed: 30,
      coveredFrom: '2026-04-01',
      minutesFrom: 'monthly',
      projectedMinutes: 81900,
    });
  });

  it('keeps a stored quarter when a file confirms only some of its months, and says which files there are', async () => {
    const report = [
      'Reporting period,Title,ISBN,Territory,Revenue model,Listen minutes,Units,Currency,Net royalty',
      '2025-04,Salt and Ash,,US,Premium streaming (pool),200000,,USD,2000.00',
    ].join('\n');
    expect((await upload(app, [[Buffer.from(report), 'april-report.csv']]))[0]!.status).toBe('imported');
    const res = await app
      .as('viewer')
      .get(`/api/spotify/quarterly-projection?now=${encodeURIComponent('2026-05-13T12:00:00+02:00')}`);
    const q2 = (res.body as SpotifyQuarterlyProjectionResponse).quarters[0]!;
    expect(q2).toMatchObject({ quarter: '2025-Q2', revenue: 8317, source: 'demo', confirmedMonths: 1, complete: true });
  });
});
