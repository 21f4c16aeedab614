import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { seedDemoData } from '../demo/demo-seed';

/**
 * A bulk load (the demo seed) with the titles triggers standing aside gives exactly what the triggers
 * give (the monthly rollups, which follow the daily ones, included): the same orders, lines and refunds inserted again statement by statement, with the triggers
 * matching, allocating and marking hours, and the rollups then folded, leave every title table as the
 * bulk load left it.
 */
const ZONE = 'Europe/Berlin';

/** Everything the titles module derives from orders, lines and refunds, in a stable order. */
const DERIVED: Record<string, string> = {
  order_line_titles: 'order_id, position',
  refund_line_allocations: 'refund_id, position',
  title_daily_totals: 'day, title_id, platform',
  title_daily_countries: 'day, title_id, country',
  title_hourly_totals: 'hour, title_id, platform',
  title_monthly_totals: 'month, title_id, platform',
  title_monthly_countries: 'month, title_id, country',
  edition_identifiers: 'kind, platform, value',
  title_names: 'key',
  editions: 'id',
  titles: 'id',
};

describe('titles after a bulk load (integration)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const snapshot = async (): Promise<Record<string, unknown[]>> => {
    const tables: Record<string, unknown[]> = {};
    for (const [table, order] of Object.entries(DERIVED)) {
      const rows: Array<{ row: unknown }> = await db.dataSource.query(
        `SELECT to_jsonb(x) - 'created_at' - 'updated_at' AS row FROM ${table} x ORDER BY ${order}`,
      );
      tables[table] = rows.map((r) => r.row);
    }
    return tables;
  };

  /** The stored columns of a table (generated ones are computed again on insert). */
  const columns = async (table: string): Promise<string> => {
    const rows: Array<{ name: string }> = await db.dataSource.query(
      `SELECT quote_ident(column_name) AS name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
      [table],
    );
    return rows.map((row) => row.name).join(', ');
  };

  it('matches, allocates and rolls up as the triggers do, leaving nothing to fold', async () => {
    const seeded = await seedDemoData(db.dataSource, {
      orders: 3_000,
      baseCurrency: 'USD',
      now: new Date('2026-11-24T15:30:00Z'),
      timeZone: ZONE,
    });
    const [state] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM title_hourly_dirty)::int AS dirty_days, (SELECT count(*) FROM title_hour_dirty)::int AS dirty_hours,
         (SELECT zone FROM title_rollup_zone) AS zone,
         (SELECT count(*) FROM order_line_titles)::int AS matched,
         (SELECT count(*) FROM order_line_titles WHERE base_allocated IS NULL)::int AS unallocated,
         (SELECT count(*) FROM refund_line_allocations)::int AS refund_shares`,
    );
    expect(state).toEqual({
      dirty_days: 0,
      dirty_hours: 0,
      zone: ZONE,
      matched: seeded!.lines,
      unallocated: 0,
      refund_shares: expect.any(Number),
    });
    expect(state.refund_shares).toBeGreaterThan(seeded!.refunds);
    const bulk = await snapshot();
    expect(bulk.title_hourly_totals!.length).toBeGreaterThan(1000);
    // Every month of the two years, each the sum of its days.
    const [months] = await db.dataSource.query(
      `SELECT (SELECT count(DISTINCT month)::int FROM title_monthly_totals) AS months,
         (SELECT sum(sales) FROM title_monthly_totals) = (SELECT sum(sales) FROM title_daily_totals)
           AND (SELECT sum(refunds_by_refund_date) FROM title_monthly_countries) = (SELECT sum(refunds_by_refund_date) FROM title_daily_countries)
           AS summed`,
    );
    expect(months).toEqual({ months: 25, summed: true });

    await db.dataSource.transaction(async (tx) => {
      for (const table of ['orders', 'order_lines', 'refunds'])
        await tx.query(`CREATE TEMPORARY TABLE copy_${table} ON COMMIT DROP AS SELECT * FROM ${table}`);
      await tx.query(`TRUNCATE orders, title_daily_totals, title_daily_countries, title_hourly_totals CASCADE`);
      // Statement by statement, as imports write: the triggers match, allocate and mark the hours.
      for (const table of ['orders', 'order_lines', 'refunds']) {
        const list = await columns(table);
        await tx.query(`INSERT INTO ${table} (${list}) SELECT ${list} FROM copy_${table}`);
      }
    });
    const [{ dirty }] = await db.dataSource.query(`SELECT count(*)::int AS dirty FROM title_hour_dirty`);
    expect(dirty).toBeGreaterThan(1000);
    await db.dataSource.query(`SELECT refresh_title_hour_rollups(), refresh_title_rollups($1)`, [ZONE]);

    expect(await snapshot()).toEqual(bulk);
  });
});
