import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UploadResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';

const SAMPLES = join(__dirname, 'fixtures');
const sample = (name: string) => readFileSync(join(SAMPLES, name));

describe('POST /api/upload (Spotify reports)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    app.db.dataSource.query(sql, params) as Promise<T[]>;
  const upload = async (files: Array<[string, Buffer]>, type?: string) => {
    let req = app.as('admin').post('/api/upload');
    for (const [name, content] of files) req = req.attach('files', content, name);
    if (type) req = req.field('type', type);
    return req;
  };

  it('imports the three sample reports with exact counts and totals', async () => {
    const res = await upload([
      ['spotify-weekly-stats.csv', sample('spotify-weekly-stats.csv')],
      ['spotify-monthly-stats.csv', sample('spotify-monthly-stats.csv')],
      ['spotify-revenue-report.xlsx', sample('spotify-revenue-report.xlsx')],
    ]);
    expect(res.status).toBe(200);
    const body = res.body as UploadResponse;
    expect(
      body.files.map(({ name, type, status, rows, inserted, updated, errors }) => ({
        name,
        type,
        status,
        rows,
        inserted,
        updated,
        errors,
      })),
    ).toEqual([
      {
        name: 'spotify-weekly-stats.csv',
        type: 'spotify-weekly',
        status: 'imported',
        rows: 23,
        inserted: 23,
        updated: 0,
        errors: [],
      },
      {
        name: 'spotify-monthly-stats.csv',
        type: 'spotify-monthly',
        status: 'imported',
        rows: 40,
        inserted: 40,
        updated: 0,
        errors: [],
      },
      {
        name: 'spotify-revenue-report.xlsx',
        type: 'spotify-revenue',
        status: 'imported',
        rows: 42,
        inserted: 42,
        updated: 0,
        errors: [],
      },
    ]);
    expect(
      await query(
        `SELECT count(*)::int AS n, sum(minutes)::text AS minutes, sum(completes)::text AS completes FROM spotify_weekly_stats`,
      ),
    ).toEqual([{ n: 23, minutes: '120152.00', completes: '202.00' }]);
    expect(
      await query(
        `SELECT count(*)::int AS n, sum(minutes)::text AS minutes, min(month)::text AS first, max(month)::text AS last FROM spotify_monthly_stats`,
      ),
    ).toEqual([{ n: 40, minutes: '556977.00', first: '2025-04-01', last: '2025-06-01' }]);
    expect(
      await query(`SELECT count(*)::int AS n, sum(net_royalty)::text AS royalty, sum(minutes)::text AS minutes,
                          count(*) FILTER (WHERE revenue_model ILIKE '%pool%')::int AS pool FROM spotify_revenue_lines`),
    ).toEqual([{ n: 42, royalty: '4723.4600', minutes: '556857.00', pool: 41 }]);
    expect(
      await query(
        `SELECT title, country, revenue_model, minutes::text, net_royalty::text, source_row FROM spotify_revenue_lines WHERE net_royalty < 0`,
      ),
    ).toEqual([
      {
        title: 'Tidewater: Poems',
        country: 'US',
        revenue_model: 'Premium streaming (pool) - adjustment for 2025-03',
        minutes: '-120.00',
        net_royalty: '-0.1100',
        source_row: 46,
      },
    ]);
  });
});
