import type { SpotifyMinutesResponse, SpotifyQuarterlyProjectionResponse, UploadResponse } from '@mt/contracts';
import { localDate, startOfIsoWeek } from '@mt/periods';
import { createTestApp, TestApp } from '../../test/test-app';
import { SpotifyProjectionJob } from './spotify-projection.job';

/** Revenue lines that add up to the 2025 actuals of SPEC §2, with an adjustment and an à-la-carte line. */
const REVENUE_2025 = [
  'Reporting period,Title,ISBN,Territory,Revenue model,Listen minutes,Units,Currency,Net royalty',
  '2025-01,The Salt Road,9781917000012,US,Premium streaming (pool),"143,000",,USD,"1,600.00"',
  '2025-02,The Salt Road,9781917000012,GB,Premium streaming (pool),143000,,USD,1600.00',
  '2025-03,The Salt Road,9781917000012,US,Premium streaming (pool),143977,,USD,1622.00',
  '2025-04,The Salt Road,9781917000012,US,Premium streaming (pool),270000,,USD,4000.00',
  '2025-05,The Salt Road,9781917000012,US,Premium streaming (pool),283200,,USD,4317.50',
  '2025-05,The Salt Road,9781917000012,US,A la carte purchase,,6,USD,44.97',
  '2025-06,The Salt Road,9781917000012,US,Premium streaming (pool) - adjustment for 2025-03,-125,,USD,-0.50',
  '2025-07,The Salt Road,9781917000012,US,Premium streaming (pool),600000,,USD,5000.00',
  '2025-08,The Salt Road,9781917000012,US,Premium streaming (pool),600000,,USD,5000.00',
  '2025-09,The Salt Road,9781917000012,US,Premium streaming (pool),507582,,USD,4354.00',
  '2025-10,The Salt Road,9781917000012,US,Premium streaming (pool),300000,,USD,3000.00',
  '2025-11,The Salt Road,9781917000012,US,Premium streaming (pool),300000,,USD,3000.00',
  '2025-12,The Salt Road,9781917000012,US,Premium streaming (pool),294829,,USD,3249.00',
].join('\n');

const WEEKLY = [
  'Week starting,Title,ISBN,Country,Total listen minutes,Completed listen equivalents',
  '2025-12-22,The Salt Road,9781917000012,US,8000,',
  '2025-12-29,The Salt Road,9781917000012,US,7000,',
  ...['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26'].flatMap((week) => [
    `${week},The Salt Road,9781917000012,US,6000,`,
    `${week},The Salt Road,9781917000012,GB,4000,`,
  ]),
  '2026-02-02,The Salt Road,9781917000012,US,5000,',
  '2026-02-02,The Salt Road,9781917000012,United Kingdom,"5,000",',
  '2026-02-09,The Salt Road,9781917000012,US,2000,',
  '2026-02-09,Lanterns of Kell,9781917000029,de,1000,',
  '2026-02-16,The Salt Road,9781917000012,US,99999,',
].join('\n');

/** Every 2025 quarter is confirmed month by month by the one revenue report. */
const REPORT_SOURCE = {
  kind: 'revenue-report',
  label: 'revenue-2025.csv',
  at: expect.any(String),
  by: 'admin@test.local',
};

/** Wednesday of ISO week 2026-02-09, in Q1 2026 (90 days), Europe/Berlin. */
const NOW = '2026-02-11T10:00:00+01:00';

describe('Spotify analytics', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    await app.db.dataSource.query(
      `INSERT INTO spotify_quarter_actuals (quarter, revenue, minutes, completes, source)
       VALUES ('2024-Q4', 3000, 300000, 566.0, 'manual'), ('2025-Q1', 1, 100, NULL, 'manual')`,
    );
    const res = await app
      .as('admin')
      .post('/api/upload')
      .attach('files', Buffer.from(REVENUE_2025), 'revenue-2025.csv')
      .attach('files', Buffer.from(WEEKLY), 'weekly.csv');
    expect((res.body as UploadResponse).files.map((file) => [file.status, file.rows, file.errors])).toEqual([
      ['imported', 13, []],
      ['imported', 15, []],
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /api/spotify/quarterly-projection', () => {
    it('gives the 2025 quarters of SPEC §2 from revenue reports, pool lines and adjustments only', async () => {
      const res = await app.as('viewer').get(`/api/spotify/quarterly-projection?now=${encodeURIComponent(NOW)}`);
      expect(res.status).toBe(200);
      const body = res.body as SpotifyQuarterlyProjectionResponse;
      expect(body.quarters).toEqual([
        {
          quarter: '2024-Q4',
          revenue: 3000,
          minutes: 300000,
          completes: 566,
          rate: 0.01,
          kind: 'actual',
          source: 'manual',
          confirmedMonths: 0,
          complete: true,
          sources: [{ kind: 'manual', label: 'manual', at: null, by: null }],
        },
        {
          quarter: '2025-Q1',
          revenue: 4822,
          minutes: 429977,
          completes: 811.3,
          rate: 0.01121,
          kind: 'actual',
          source: 'revenue-report',
          confirmedMonths: 3,
          complete: true,
          sources: [REPORT_SOURCE],
        },
        {
          quarter: '2025-Q2',
          revenue: 8317,
          minutes: 553075,
          completes: 1043.5,
          rate: 0.01504,
          kind: 'actual',
          source: 'revenue-report',
          confirmedMonths: 3,
          complete: true,
          sources: [REPORT_SOURCE],
        },
        {
          quarter: '2025-Q3',
          revenue: 14354,
          minutes: 1707582,
          completes: 3221.9,
          rate: 0.00841,
          kind: 'actual',
          source: 'revenue-report',
          confirmedMonths: 3,
          complete: true,
          sources: [REPORT_SOURCE],
        },
        {
          quarter: '2025-Q4',
          revenue: 9249,
          minutes: 894829,
          completes: 1688.4,
          rate: 0.01034,
          kind: 'actual',
          source: 'revenue-report',
          confirmedMonths: 3,
          complete: true,
          sources: [REPORT_SOURCE],
        },
      ]);
    });

    it('projects the current quarter from its weekly minutes so far, with the band of the last four rates', async () => {
      const res = await app.as('viewer').get(`/api/spotify/quarterly-projection?now=${encodeURIComponent(NOW)}`);
      const body = res.body as SpotifyQuarterlyProjectionResponse;
      // 4/7 of the week of 29 Dec (4,000) + 5 × 10,000 + the week of 9 Feb so far (3,000); 1 Jan–11 Feb = 42 days.
      // The band from unrounded rates: 122,143 × 14,354 / 1,707,582 = 1,026.74 (2025-Q3's 0.0084060… is below
      // the current 0.00841) and × 8,317 / 553,075 = 1,836.76 (the rounded 0.01504 gave 1,837.03).
      expect(body.projection).toEqual({
        quarter: '2026-Q1',
        minutesToDate: 57000,
        daysElapsed: 42,
        coveredFrom: '2026-01-01',
        minutesFrom: 'weekly',
        daysInQuarter: 90,
        projectedMinutes: 122143,
        revenue: { low: 1026.74, expected: 1027.22, high: 1836.76 },
      });
      expect(body.currentRate).toBe(0.00841);
      expect(body.averageBookMinutes).toBe(530);
      expect(body.computedAt).toBe('2026-02-11T09:00:00.000Z');
    });

    it('takes the pinned clock only as a valid instant', async () => {
      const res = await app.as('viewer').get('/api/spotify/quarterly-projection?now=yesterday');
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('now');
    });
  });

  describe('GET /api/spotify/minutes', () => {
    it('lists the last complete weeks with estimated revenue and completes, empty weeks as 0', async () => {
      const res = await app.as('viewer').get(`/api/spotify/minutes?weeks=8&now=${encodeURIComponent(NOW)}`);
      expect(res.status).toBe(200);
      // Ends with the week of 2 Feb: the week of 9 Feb holds `now` and is left out (its 2,000 + 1,000 too).
      // × 0.00841 $/min; ÷ 530 min a book, to 0.1: 8,000 → 15.1, 7,000 → 13.2, 10,000 → 18.9.
      expect(res.body).toEqual({
        rate: 0.00841,
        averageBookMinutes: 530,
        weeks: [
          { weekStart: '2025-12-15', minutes: 0, estimatedRevenue: 0, estimatedCompletes: 0 },
          { weekStart: '2025-12-22', minutes: 8000, estimatedRevenue: 67.28, estimatedCompletes: 15.1 },
          { weekStart: '2025-12-29', minutes: 7000, estimatedRevenue: 58.87, estimatedCompletes: 13.2 },
          { weekStart: '2026-01-05', minutes: 10000, estimatedRevenue: 84.1, estimatedCompletes: 18.9 },
          { weekStart: '2026-01-12', minutes: 10000, estimatedRevenue: 84.1, estimatedCompletes: 18.9 },
          { weekStart: '2026-01-19', minutes: 10000, estimatedRevenue: 84.1, estimatedCompletes: 18.9 },
          { weekStart: '2026-01-26', minutes: 10000, estimatedRevenue: 84.1, estimatedCompletes: 18.9 },
          { weekStart: '2026-02-02', minutes: 10000, estimatedRevenue: 84.1, estimatedCompletes: 18.9 },
        ],
      });
    });

    it('ends with the week before the one holding now in the business zone (Europe/Berlin)', async () => {
      const weeksAt = async (now: string) => {
        const res = await app.as('viewer').get(`/api/spotify/minutes?weeks=1&now=${encodeURIComponent(now)}`);
        return (res.body as SpotifyMinutesResponse).weeks.map((week) => [week.weekStart, week.minutes]);
      };
      // Sunday 8 Feb 23:30 in Berlin: the week of 2 Feb is still in progress.
      expect(await weeksAt('2026-02-08T22:30:00Z')).toEqual([['2026-01-26', 10000]]);
      // Monday 9 Feb 00:30 in Berlin (still Sunday in UTC): the week of 2 Feb is complete.
      expect(await weeksAt('2026-02-08T23:30:00Z')).toEqual([['2026-02-02', 10000]]);
    });

    it('rejects a bad weeks parameter by name', async () => {
      const res = await app.as('viewer').get('/api/spotify/minutes?weeks=0');
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('weeks');
    });
  });

  describe('GET /api/spotify/countries', () => {
    it('gives minutes per country per complete week, totals and week-over-week change', async () => {
      const res = await app.as('viewer').get(`/api/spotify/countries?weeks=6&now=${encodeURIComponent(NOW)}`);
      expect(res.status).toBe(200);
      // 29 Dec – 2 Feb; the week of 9 Feb (US 2,000, DE 1,000) holds `now` and is left out, so no DE row
      // and no −100 % for GB. US: 7,000 → 6,000 is −14.3 %, 6,000 → 5,000 is −16.7 %; GB from 0 has no %.
      expect(res.body).toEqual({
        weeks: ['2025-12-29', '2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02'],
        countries: [
          {
            country: 'US',
            minutes: [7000, 6000, 6000, 6000, 6000, 5000],
            total: 36000,
            change: [null, -14.3, 0, 0, 0, -16.7],
          },
          {
            country: 'GB',
            minutes: [0, 4000, 4000, 4000, 4000, 5000],
            total: 21000,
            change: [null, null, 0, 0, 0, 25],
          },
        ],
        totals: [7000, 10000, 10000, 10000, 10000, 10000],
      });
    });

    it('gives the complete weeks with no countries and zero totals when there is no data', async () => {
      const res = await app
        .as('viewer')
        .get(`/api/spotify/countries?weeks=2&now=${encodeURIComponent('2025-06-04T12:00:00Z')}`);
      expect(res.body).toEqual({ weeks: ['2025-05-19', '2025-05-26'], countries: [], totals: [0, 0] });
    });
  });

  describe('/api/settings/spotify', () => {
    it('starts from the SPEC defaults, saves changes and recomputes the stored projection', async () => {
      const before = await app.as('admin').get('/api/settings/spotify');
      expect(before.body).toEqual({
        poolRate: 0.00841,
        poolRateSource: 'default: 2025-Q3 actual (14,354 USD / 1,707,582 minutes)',
        averageBookMinutes: 530,
        cadence: 'monthly',
        updatedAt: null,
        updatedBy: null,
      });
      const saved = await app
        .as('admin')
        .put('/api/settings/spotify')
        .send({ poolRate: 0.0095, poolRateSource: 'Spotify statement 2026-01', averageBookMinutes: 500 });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({
        poolRate: 0.0095,
        poolRateSource: 'Spotify statement 2026-01',
        averageBookMinutes: 500,
        updatedBy: app.users.admin.email,
      });

      const pinned = await app.as('viewer').get(`/api/spotify/quarterly-projection?now=${encodeURIComponent(NOW)}`);
      // The rate says where it comes from: the words saved with it, when, and by whom.
      expect(pinned.body.currentRateSource).toEqual({
        kind: 'setting',
        label: 'Spotify statement 2026-01',
        at: saved.body.updatedAt,
        by: app.users.admin.email,
      });
      expect(pinned.body.projection.revenue).toEqual({ low: 1026.74, expected: 1160.36, high: 1836.76 });
      // Completes of revenue-report quarters follow the average book length: 429,977 / 500.
      expect(pinned.body.quarters[1].completes).toBe(860);

      const stored = await app.as('viewer').get('/api/spotify/quarterly-projection');
      expect(stored.status).toBe(200);
      expect(stored.body.currentRate).toBe(0.0095);
      expect(Date.parse(stored.body.computedAt)).toBeGreaterThanOrEqual(Date.parse(saved.body.updatedAt));
    });

    it('rejects invalid settings by field', async () => {
      const res = await app
        .as('admin')
        .put('/api/settings/spotify')
        .send({ poolRate: -1, poolRateSource: '', averageBookMinutes: 530 });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('poolRate');
      expect(JSON.stringify(res.body.message)).toContain('poolRateSource');
    });
  });
});

describe('Spotify quarters from stored actuals (no revenue reports)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    await app.db.dataSource.query(
      `INSERT INTO spotify_quarter_actuals (quarter, revenue, minutes, completes, source) VALUES
         ('2025-Q1', 4822, 429977, 812.8, 'demo'), ('2025-Q2', 8317, 553075, 1045.6, 'demo'),
         ('2025-Q3', 14354, 1707582, NULL, 'demo'), ('2025-Q4', 9249, 894829, NULL, 'demo')`,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives the SPEC §2 rates 0.01121, 0.01504, 0.00841, 0.01034 and an empty projection without weekly data', async () => {
    const res = await app
      .as('viewer')
      .get(`/api/spotify/quarterly-projection?now=${encodeURIComponent('2026-01-01T00:30:00+01:00')}`);
    const body = res.body as SpotifyQuarterlyProjectionResponse;
    expect(body.quarters.map((q) => [q.quarter, q.rate, q.completes])).toEqual([
      ['2025-Q1', 0.01121, 812.8],
      ['2025-Q2', 0.01504, 1045.6],
      ['2025-Q3', 0.00841, 3221.9],
      ['2025-Q4', 0.01034, 1688.4],
    ]);
    expect(body.projection).toEqual({
      quarter: '2026-Q1',
      minutesToDate: 0,
      daysElapsed: 0,
      coveredFrom: null,
      minutesFrom: 'none',
      daysInQuarter: 90,
      projectedMinutes: 0,
      revenue: { low: 0, expected: 0, high: 0 },
    });
  });
});

describe('Spotify routes: authentication, roles and the stored projection', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('requires authentication', async () => {
    for (const path of [
      '/api/spotify/minutes',
      '/api/spotify/countries',
      '/api/spotify/quarterly-projection',
      '/api/settings/spotify',
    ]) {
      expect((await app.anonymous().get(path)).status).toBe(401);
    }
  });

  it('keeps settings for admins', async () => {
    expect((await app.as('viewer').get('/api/settings/spotify')).status).toBe(403);
    expect(
      (
        await app
          .as('viewer')
          .put('/api/settings/spotify')
          .send({ poolRate: 0.01, poolRateSource: 'x', averageBookMinutes: 500 })
      ).status,
    ).toBe(403);
  });

  it('recomputes the stored projection after an upload', async () => {
    const before = await app.as('viewer').get('/api/spotify/quarterly-projection');
    expect(before.status).toBe(200);
    expect(before.body.projection.minutesToDate).toBe(0);
    const monday = startOfIsoWeek(localDate(new Date(), app.config.businessTimezone));
    const upload = await app
      .as('admin')
      .post('/api/upload')
      .attach(
        'files',
        Buffer.from(`Week starting,Title,Country,Total listen minutes\n${monday},The Salt Road,US,700\n`),
        'this-week.csv',
      );
    expect(upload.body.files[0].status).toBe('imported');
    await app.app.get(SpotifyProjectionJob).idle();
    const after = await app.as('viewer').get('/api/spotify/quarterly-projection');
    expect(after.body.projection.minutesToDate).toBeGreaterThan(0);
    expect(Date.parse(after.body.computedAt)).toBeGreaterThan(Date.parse(before.body.computedAt));
  });
});
