import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations';
import { SQUASHED_MIGRATIONS } from '../../../../migrations/1796000000000-Baseline';
import { createTestDatabase, TestDatabase } from '../../test/test-database';

/**
 * Every object of ours in the public schema, as PostgreSQL itself spells it (columns with types,
 * defaults and generation, constraints, indexes, functions with their bodies, triggers, and the
 * built-in header aliases), TypeORM's own `migrations` table aside.
 */
async function schemaObjects(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ object: string }> = await dataSource.query(`
    SELECT format('column %s.%s %s%s%s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
             CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
             CASE WHEN a.attgenerated = 's' THEN ' generated ' ELSE ' default ' END,
             coalesce(pg_get_expr(d.adbin, d.adrelid), '')) AS object
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> 'migrations'
    UNION ALL
    SELECT format('constraint %s.%s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace AND c.conrelid <> 'migrations'::regclass
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace = 'public'::regnamespace AND i.indrelid <> 'migrations'::regclass
    UNION ALL
    SELECT format('sequence %s', c.relname) FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S' AND c.relname <> 'migrations_id_seq'
    UNION ALL
    SELECT format('function %s', pg_get_functiondef(p.oid)) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('trigger %s', pg_get_triggerdef(t.oid)) FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT format('type %s', t.typname) FROM pg_type t
    WHERE t.typnamespace = 'public'::regnamespace AND t.typrelid = 0 AND t.typname NOT LIKE '\\_%'
    UNION ALL
    SELECT format('header alias %s %s %s %s', alias_key, field, factor, builtin)
    FROM upload_header_aliases WHERE to_regclass('upload_header_aliases') IS NOT NULL
    ORDER BY 1`);
  return rows.map((row) => row.object);
}

/** What is left in the public schema besides TypeORM's `migrations` table and its sequence and index. */
async function leftovers(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ object: string }> = await dataSource.query(`
    SELECT format('%s %s', c.relkind, c.relname) AS object FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
      AND c.relname NOT IN ('migrations', 'migrations_id_seq', 'PK_8c82d7f526340ab734260ea46be')
    UNION ALL
    SELECT format('function %s', p.oid::regprocedure) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT format('type %s', t.typname) FROM pg_type t
    WHERE t.typnamespace = 'public'::regnamespace AND t.typname NOT IN ('migrations', '_migrations')
    ORDER BY 1`);
  return rows.map((row) => row.object);
}

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('revert every migration leaving nothing of ours behind, and apply them again to the same schema', async () => {
    const migrated = await schemaObjects(db.dataSource);
    // The objects each part of the schema is known by; the exact list is compared after the round trip.
    expect(migrated).toEqual(
      expect.arrayContaining([
        'column orders.counted boolean generated ((NOT test) AND priced AND status_counted AND (deleted_at IS NULL))',
        'column orders.identity_store text not null generated order_identity_store(platform, store)',
        'constraint orders.orders_natural_key UNIQUE (platform, identity_store, external_id)',
        'index CREATE INDEX orders_counted_created_at ON public.orders USING btree (created_at) INCLUDE (base_total, country, platform) WHERE (counted AND (base_total IS NOT NULL))',
        'trigger CREATE TRIGGER refunds_dirty_update AFTER UPDATE ON public.refunds REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_mark_dirty()',
        'column typeorm_metadata.value text default ',
        'header alias hours minutes 60.000000 t',
      ]),
    );
    expect(migrated.filter((object) => object.startsWith('function ')).map((f) => f.split('(')[0])).toEqual([
      'function CREATE OR REPLACE FUNCTION public.allocate_order_revenue',
      'function CREATE OR REPLACE FUNCTION public.catalogue_version_bump',
      'function CREATE OR REPLACE FUNCTION public.edition_format',
      'function CREATE OR REPLACE FUNCTION public.link_lines_to_editions',
      'function CREATE OR REPLACE FUNCTION public.mark_title_hours',
      'function CREATE OR REPLACE FUNCTION public.match_order_lines',
      'function CREATE OR REPLACE FUNCTION public.match_spotify_titles',
      'function CREATE OR REPLACE FUNCTION public.order_hour',
      'function CREATE OR REPLACE FUNCTION public.order_identity_store',
      'function CREATE OR REPLACE FUNCTION public.order_status_counts',
      'function CREATE OR REPLACE FUNCTION public.orders_mark_dirty',
      'function CREATE OR REPLACE FUNCTION public.orders_status_counted',
      'function CREATE OR REPLACE FUNCTION public.rebuild_title_hour_rollups',
      'function CREATE OR REPLACE FUNCTION public.rebuild_title_rollups',
      'function CREATE OR REPLACE FUNCTION public.refresh_order_rollups',
      'function CREATE OR REPLACE FUNCTION public.refresh_spotify_week_country_totals',
      'function CREATE OR REPLACE FUNCTION public.refresh_title_hour_rollups',
      'function CREATE OR REPLACE FUNCTION public.refresh_title_rollups',
      'function CREATE OR REPLACE FUNCTION public.refunds_mark_dirty',
      'function CREATE OR REPLACE FUNCTION public.title_day_rows',
      'function CREATE OR REPLACE FUNCTION public.title_display',
      'function CREATE OR REPLACE FUNCTION public.title_hour_dirty_copy',
      'function CREATE OR REPLACE FUNCTION public.title_hour_rows',
      'function CREATE OR REPLACE FUNCTION public.title_key',
      'function CREATE OR REPLACE FUNCTION public.title_monthly_countries_follow',
      'function CREATE OR REPLACE FUNCTION public.title_monthly_totals_follow',
      'function CREATE OR REPLACE FUNCTION public.titles_after_bulk_load',
      'function CREATE OR REPLACE FUNCTION public.titles_lines_changed',
      'function CREATE OR REPLACE FUNCTION public.titles_orders_changed',
      'function CREATE OR REPLACE FUNCTION public.titles_refunds_changed',
    ]);

    const applied = await db.dataSource.query(`SELECT count(*)::int AS n FROM migrations`);
    expect(applied).toEqual([{ n: migrations.length }]);
    for (let i = 0; i < migrations.length; i++) await db.dataSource.undoLastMigration();
    expect(await leftovers(db.dataSource)).toEqual([]);

    await db.dataSource.runMigrations();
    expect(await schemaObjects(db.dataSource)).toEqual(migrated);
    const orders = await db.dataSource.query(`SELECT count(*)::int AS n FROM orders`);
    expect(orders).toEqual([{ n: 0 }]);
  });

  it('takes a database made by the eleven squashed migrations as it is, swapping only the history rows', async () => {
    const before = await schemaObjects(db.dataSource);
    // Later migrations stay recorded; only the baseline's row is as if it had never run.
    await db.dataSource.query(`DELETE FROM migrations WHERE name = 'Baseline1796000000000'`);
    await db.dataSource.query(
      `INSERT INTO migrations (timestamp, name) SELECT substring(name FROM '[0-9]+$')::bigint, name FROM unnest($1::text[]) name`,
      [SQUASHED_MIGRATIONS],
    );
    await db.dataSource.query(`INSERT INTO settings (key, value) VALUES ('kept', '1')`);

    const applied = await db.dataSource.runMigrations();

    expect(applied.map((migration) => migration.name)).toEqual(['Baseline1796000000000']);
    expect(await db.dataSource.query(`SELECT name FROM migrations ORDER BY timestamp`)).toEqual(
      migrations.map((migration) => ({ name: migration.name })),
    );
    expect(await db.dataSource.query(`SELECT key FROM settings`)).toEqual([{ key: 'kept' }]);
    expect(await schemaObjects(db.dataSource)).toEqual(before);
    await db.dataSource.query(`DELETE FROM settings`);
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
