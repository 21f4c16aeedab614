import { createTestDatabase, TestDatabase } from '../../test/test-database';
import { foldAfterBulkLoad, resetDemoData, seedDemoData } from './demo-seed';

describe('seedDemoData', () => {
  let db: TestDatabase;
  const now = new Date('2026-11-24T15:30:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('fills two years of orders, refunds, Spotify weeks and the 2025 quarters, then refuses to seed again', async () => {
    const result = await seedDemoData(db.dataSource, { orders: 20_000, baseCurrency: 'USD', now, onlyIfEmpty: true });
    expect(result).not.toBeNull();
    const [span] = await db.dataSource.query(
      `
      SELECT count(*)::int AS orders, count(DISTINCT country)::int AS countries, count(DISTINCT currency)::int AS currencies,
             count(DISTINCT platform)::int AS platforms, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
             count(*) FILTER (WHERE test)::int AS tests, count(*) FILTER (WHERE base_total IS NULL)::int AS unconverted,
             max(created_at) <= $1 AS none_in_future, min(created_at) >= $1::timestamptz - interval '731 days' AS within_two_years
      FROM orders`,
      [now],
    );
    expect(span.orders).toBe(result!.orders);
    expect(Math.abs(span.orders - 20_000)).toBeLessThanOrEqual(400);
    expect(span.countries).toBeGreaterThanOrEqual(20);
    expect(span.currencies).toBe(5);
    expect(span.platforms).toBe(3);
    expect(span.cancelled).toBeGreaterThan(0);
    expect(span.tests).toBeGreaterThan(0);
    expect(span.unconverted).toBe(0);
    expect(span.none_in_future).toBe(true);
    expect(span.within_two_years).toBe(true);
    const [refunds] = await db.dataSource.query(
      `SELECT count(*)::int AS n, bool_and(refunded_at > o.created_at) AS after FROM refunds r JOIN orders o ON o.id = r.order_id`,
    );
    expect(refunds.n).toBe(result!.refunds);
    expect(refunds.n).toBeGreaterThan(0);
    expect(refunds.after).toBe(true);
    const quarters = await db.dataSource.query(
      `SELECT quarter, round(revenue / minutes, 5)::text AS rate FROM spotify_quarter_actuals ORDER BY quarter`,
    );
    expect(quarters).toEqual([
      { quarter: '2025-Q1', rate: '0.01121' },
      { quarter: '2025-Q2', rate: '0.01504' },
      { quarter: '2025-Q3', rate: '0.00841' },
      { quarter: '2025-Q4', rate: '0.01034' },
    ]);
    // Two statements for past months (August and September 2026), each adding up to its net amount.
    const statements = await db.dataSource.query(`
      SELECT to_char(s.month, 'YYYY-MM') AS month, to_char(s.due_date, 'YYYY-MM-DD') AS due, u.file_name AS file,
             s.net_amount = sum(l.royalty_payable) AS adds_up, count(*)::int AS lines,
             count(*) FILTER (WHERE NOT l.is_spotify)::int AS other
        FROM spotify_statements s JOIN spotify_statement_lines l ON l.statement_id = s.id JOIN upload_log u ON u.id = s.upload_id
       GROUP BY s.id, u.file_name ORDER BY s.month`);
    expect(statements).toEqual([
      {
        month: '2026-08',
        due: '2026-10-12',
        file: 'demo: 2026-08 Digital Royalty.xlsx',
        adds_up: true,
        lines: 8,
        other: 1,
      },
      {
        month: '2026-09',
        due: '2026-11-11',
        file: 'demo: 2026-09 Digital Royalty.xlsx',
        adds_up: true,
        lines: 8,
        other: 1,
      },
    ]);
    const [weeks] = await db.dataSource.query(
      `SELECT count(DISTINCT week_start)::int AS weeks, count(*)::int AS n FROM spotify_weekly_stats`,
    );
    expect(weeks).toEqual({ weeks: 104, n: 104 * 6 * 12 });
    // The weekly charts' totals: one row per week and country, each the exact sum of its six titles.
    const [totals] = await db.dataSource.query(`
      SELECT count(*)::int AS n,
             count(*) FILTER (WHERE t.minutes IS DISTINCT FROM s.minutes)::int AS wrong
      FROM spotify_week_country_totals t
      FULL JOIN (SELECT week_start, country, sum(minutes) AS minutes FROM spotify_weekly_stats GROUP BY 1, 2) s
        USING (week_start, country)`);
    expect(totals).toEqual({ n: 104 * 12, wrong: 0 });
    expect(result!.spotifyRows).toBe(104 * 6 * 12);
    const rules = await db.dataSource.query(
      `SELECT kind, name, enabled, threshold::text, hours, active_from::text, active_to::text, send_at::text
       FROM alert_rules ORDER BY id`,
    );
    expect(rules).toEqual([
      {
        kind: 'day_revenue',
        name: 'First $1,000 day',
        enabled: true,
        threshold: '1000.00',
        hours: null,
        active_from: null,
        active_to: null,
        send_at: null,
      },
      {
        kind: 'week_orders',
        name: '100 orders this week',
        enabled: true,
        threshold: '100.00',
        hours: null,
        active_from: null,
        active_to: null,
        send_at: null,
      },
      {
        kind: 'silence',
        name: 'No order for 12 hours',
        enabled: true,
        threshold: null,
        hours: 12,
        active_from: '08:00:00',
        active_to: '22:00:00',
        send_at: null,
      },
      {
        kind: 'daily_digest',
        name: 'Daily digest',
        enabled: true,
        threshold: null,
        hours: null,
        active_from: null,
        active_to: null,
        send_at: '07:30:00',
      },
    ]);

    // A dozen titles in several formats; every line on one, its order's total shared out exactly.
    const titles = await db.dataSource.query(
      `SELECT t.name, array_agg(e.format ORDER BY e.format) AS formats FROM titles t JOIN editions e ON e.title_id = t.id
       GROUP BY t.name ORDER BY t.name`,
    );
    expect(titles.length).toBe(12);
    expect(titles).toContainEqual({ name: 'The Ink Road', formats: ['audiobook', 'ebook', 'hardcover', 'paperback'] });
    expect(titles).toContainEqual({ name: 'Winter Broadsides', formats: ['print'] });
    const [lines] = await db.dataSource.query(`
      SELECT count(*)::int AS n, count(t.edition_id)::int AS matched,
        (SELECT count(*)::int FROM orders o WHERE o.base_total IS DISTINCT FROM
          (SELECT sum(x.base_allocated) FROM order_line_titles x WHERE x.order_id = o.id)) AS unequal
      FROM order_lines l LEFT JOIN order_line_titles t ON t.order_id = l.order_id AND t.position = l.position`);
    expect(lines.n).toBe(result!.lines);
    expect(lines.n / result!.orders).toBeGreaterThan(2.3);
    expect(lines.n / result!.orders).toBeLessThan(2.7);
    expect(lines).toMatchObject({ matched: lines.n, unequal: 0 });
    // Spotify's six titles are the audiobooks of six of them.
    const listened = await db.dataSource.query(
      `SELECT t.name, e.format FROM spotify_title_editions s JOIN editions e ON e.id = s.edition_id
       JOIN titles t ON t.id = e.title_id ORDER BY t.name`,
    );
    expect(listened).toEqual(
      [
        'A Quiet Press',
        'Letters from Mt Ink',
        'North of the Margin',
        'Paper Harbours',
        'Small Capitals',
        'The Ink Road',
      ].map((name) => ({ name, format: 'audiobook' })),
    );

    expect(
      await seedDemoData(db.dataSource, { orders: 20_000, baseCurrency: 'USD', now, onlyIfEmpty: true }),
    ).toBeNull();
  });

  it('gives the same rows for the same inputs', async () => {
    const other = await createTestDatabase();
    try {
      await seedDemoData(other.dataSource, { orders: 20_000, baseCurrency: 'USD', now });
      const fingerprint = `SELECT md5(string_agg(platform || external_id || created_at::text || total::text || coalesce(country, ''), ',' ORDER BY platform, external_id)) AS h FROM orders`;
      expect(await other.dataSource.query(fingerprint)).toEqual(await db.dataSource.query(fingerprint));
    } finally {
      await other.drop();
    }
  });

  it('--reset empties the rollups with the orders, so a new seed folds to exactly its own orders', async () => {
    const other = await createTestDatabase();
    try {
      const rollups = `SELECT (SELECT coalesce(sum(orders), 0)::int FROM order_hourly_totals) AS hourly,
                              (SELECT coalesce(sum(orders), 0)::int FROM order_daily_totals) AS daily,
                              (SELECT count(*)::int FROM order_hourly_dirty) AS dirty,
                              (SELECT count(*)::int FROM orders WHERE counted AND base_total IS NOT NULL) AS counted`;
      await seedDemoData(other.dataSource, { orders: 5_000, baseCurrency: 'USD', now });
      expect(await foldAfterBulkLoad(other.dataSource, 'Europe/Berlin')).toBeGreaterThan(1000);
      const [first] = await other.dataSource.query(rollups);
      expect(first).toEqual({ hourly: first.counted, daily: first.counted, dirty: 0, counted: first.counted });

      await resetDemoData(other.dataSource);
      expect(await other.dataSource.query(rollups)).toEqual([{ hourly: 0, daily: 0, dirty: 0, counted: 0 }]);
      await seedDemoData(other.dataSource, { orders: 2_000, baseCurrency: 'USD', now });
      await foldAfterBulkLoad(other.dataSource, 'Europe/Berlin');
      const [second] = await other.dataSource.query(rollups);
      expect(second.counted).toBeLessThan(first.counted);
      expect(second).toEqual({ hourly: second.counted, daily: second.counted, dirty: 0, counted: second.counted });
    } finally {
      await other.drop();
    }
  });
});
