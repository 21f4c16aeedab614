import { createTestDatabase, TestDatabase } from '../../test/test-database';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('revert every migration and apply them again', async () => {
    const applied = await db.dataSource.query(`SELECT count(*)::int AS n FROM migrations`);
    for (let i = 0; i < applied[0].n; i++) await db.dataSource.undoLastMigration();
    const tables = await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT IN ('migrations', 'typeorm_metadata')`,
    );
    expect(tables).toEqual([]);
    await db.dataSource.runMigrations();
    const orders = await db.dataSource.query(`SELECT count(*)::int AS n FROM orders`);
    expect(orders).toEqual([{ n: 0 }]);
  });

  it('count an order only when it is neither a test nor cancelled nor voided', async () => {
    const rows = await db.dataSource.query(`
      INSERT INTO orders (platform, external_id, created_at, currency, total, status, test)
      VALUES ('shopify', '1', now(), 'USD', 10, 'paid', false),
             ('shopify', '2', now(), 'USD', 10, 'paid', true),
             ('shopify', '3', now(), 'USD', 10, 'cancelled', false),
             ('etsy', '3', now(), 'USD', 10, 'voided', false)
      RETURNING external_id, platform, counted`);
    expect(rows).toEqual([
      { external_id: '1', platform: 'shopify', counted: true },
      { external_id: '2', platform: 'shopify', counted: false },
      { external_id: '3', platform: 'shopify', counted: false },
      { external_id: '3', platform: 'etsy', counted: false },
    ]);
  });
});
