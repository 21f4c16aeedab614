import { Client } from 'pg';
import { createTestApp, TestApp } from '../../test/test-app';
import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { waitFor } from '../../test/wait-for';

const dirtyHours = async (db: TestDatabase): Promise<number> =>
  (await db.dataSource.query(`SELECT count(*)::int AS n FROM order_hourly_dirty`))[0].n as number;

/** SPEC §9 / README: the server listens at once, whatever the fold at start has to do. */
describe('the rollup fold at start (integration)', () => {
  let db: TestDatabase;
  let locker: Client;
  let app: TestApp | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(
      `INSERT INTO orders (platform, external_id, created_at, currency, total, base_total, country, status)
       SELECT 'etsy', 'S-' || g, timestamptz '2026-11-02T10:00:00+01:00' + g * interval '1 hour', 'USD', 10, 10, 'GB', 'paid'
       FROM generate_series(0, 47) g`,
    );
    locker = new Client({ connectionString: db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await app?.close();
    await locker.end();
    await db.drop();
  });

  it('runs in the background: the app answers, exactly, while the fold waits, and the fold lands after', async () => {
    expect(await dirtyHours(db)).toBe(48);
    // Another fold (an instance folding a million orders) holds the fold's lock for as long as this test needs.
    await locker.query('BEGIN');
    await locker.query(`SELECT pg_advisory_xact_lock(hashtext('refresh_order_rollups'))`);
    app = await createTestApp({ db, env: { SCHEDULED_JOBS: 'on' } });

    await app.anonymous().get('/api/health').expect(200);
    const range = await app
      .as('viewer')
      .get('/api/comparison/range')
      .query({ from: '2026-11-02', to: '2026-11-04', now: '2026-11-10T12:00:00+01:00' })
      .expect(200);
    expect(range.body.current).toMatchObject({ orders: 48, revenue: 480 });
    expect(await dirtyHours(db)).toBe(48);

    await locker.query('COMMIT');
    await waitFor(async () => (await dirtyHours(db)) === 0, 'the fold at start');
    const [{ hours }] = await db.dataSource.query(`SELECT sum(orders)::int AS hours FROM order_hourly_totals`);
    expect(hours).toBe(48);
  });
});
