import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exchange rates that keep themselves current (SPEC §2, §4): every rate says where it came from (the
 * ECB's daily fetch, a rate file, the API or the demo data), when and by whom; the ECB fetch keeps its
 * own state (last success, last error) for the status endpoint and the health check.
 *
 * Rates get more decimals: ECB quotes are per euro, and a cross rate into the base currency of a
 * currency worth little (IDR, KRW) needs 14 decimals to keep 10 significant digits.
 */
export class ExchangeRates1797000001000 implements MigrationInterface {
  name = 'ExchangeRates1797000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE fx_rates
        ALTER COLUMN rate TYPE numeric(24, 14),
        ADD COLUMN source text NOT NULL DEFAULT 'file' CHECK (source IN ('ecb', 'file', 'api', 'demo')),
        ADD COLUMN origin text,
        ADD COLUMN added_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN added_by bigint REFERENCES users (id) ON DELETE SET NULL`);
    // Rates stored before this migration came from the demo seed, unless the database never had one.
    await q.query(
      `UPDATE fx_rates SET source = 'demo' WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'demo.seededAt')`,
    );
    await q.query(`ALTER TABLE fx_rates ALTER COLUMN source DROP DEFAULT`);
    await q.query(`
      CREATE TABLE fx_fetch_state (
        source text PRIMARY KEY CHECK (source IN ('ecb')),
        url text NOT NULL,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        -- Set once a history file (90 days or since 1999) was stored, so that later runs fetch the daily file.
        history_from date
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fx_fetch_state`);
    await q.query(`
      ALTER TABLE fx_rates
        DROP COLUMN added_by,
        DROP COLUMN added_at,
        DROP COLUMN origin,
        DROP COLUMN source,
        ALTER COLUMN rate TYPE numeric(20, 10)`);
  }
}
