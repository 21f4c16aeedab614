import type { UploadResponse } from '@mt/contracts';
import { createTestApp, TestApp } from '../../test/test-app';

/** Per-week-per-country totals that the weekly charts read: exact after every upload and every full refresh. */
describe('spotify_week_country_totals', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const query = <T = Record<string, unknown>>(sql: string) => app.db.dataSource.query(sql) as Promise<T[]>;
  const totals = () =>
    query(`SELECT week_start::text AS week, country, minutes::text FROM spotify_week_country_totals ORDER BY 1, 2`);
  const upload = async (name: string, lines: string[]) => {
    const res = await app
      .as('admin')
      .post('/api/upload')
      .attach(
        'files',
        Buffer.from(['Week starting,Title,ISBN,Country,Total listen minutes', ...lines].join('\n')),
        name,
      );
    return (res.body as UploadResponse).files.map((file) => [file.status, file.inserted, file.updated]);
  };

  it('recomputes the weeks an upload touched, in its transaction, leaving the other weeks as they were', async () => {
    expect(
      await upload('first.csv', [
        '2026-03-02,The Salt Road,9781917000012,US,100',
        '2026-03-02,Lanterns of Kell,9781917000029,US,50.5',
        '2026-03-02,The Salt Road,9781917000012,GB,20',
        '2026-03-09,The Salt Road,9781917000012,US,30',
      ]),
    ).toEqual([['imported', 4, 0]]);
    expect(await totals()).toEqual([
      { week: '2026-03-02', country: 'GB', minutes: '20.00' },
      { week: '2026-03-02', country: 'US', minutes: '150.50' },
      { week: '2026-03-09', country: 'US', minutes: '30.00' },
    ]);

    // A stray total in a week the next file does not touch stays: only the file's week is recomputed.
    await query(`INSERT INTO spotify_week_country_totals VALUES ('2026-02-23', 'FR', 1)`);
    // Corrected figures for one title of the week of 2 Mar (US 100 → 80, GB 20 → 25) and a new country.
    expect(
      await upload('correction.csv', [
        '2026-03-02,The Salt Road,9781917000012,US,80',
        '2026-03-02,The Salt Road,9781917000012,GB,25',
        '2026-03-02,The Salt Road,9781917000012,SE,4.75',
      ]),
    ).toEqual([['imported', 1, 2]]);
    expect(await totals()).toEqual([
      { week: '2026-02-23', country: 'FR', minutes: '1.00' },
      { week: '2026-03-02', country: 'GB', minutes: '25.00' },
      { week: '2026-03-02', country: 'SE', minutes: '4.75' },
      { week: '2026-03-02', country: 'US', minutes: '130.50' },
      { week: '2026-03-09', country: 'US', minutes: '30.00' },
    ]);
  });

  it('is left untouched by a rejected file', async () => {
    const before = await totals();
    const files = await upload('bad.csv', [
      '2026-03-09,The Salt Road,9781917000012,US,999',
      '2026-03-09,The Salt Road,9781917000012,US,998',
    ]);
    expect(files[0]![0]).toBe('rejected');
    expect(await totals()).toEqual(before);
  });

  it('rebuilds every week, dropping weeks without rows, when refreshed with NULL', async () => {
    await query(`DELETE FROM spotify_weekly_stats WHERE week_start = '2026-03-09'`);
    await query(`SELECT refresh_spotify_week_country_totals(NULL)`);
    expect(await totals()).toEqual([
      { week: '2026-03-02', country: 'GB', minutes: '25.00' },
      { week: '2026-03-02', country: 'SE', minutes: '4.75' },
      { week: '2026-03-02', country: 'US', minutes: '130.50' },
    ]);
  });
});
