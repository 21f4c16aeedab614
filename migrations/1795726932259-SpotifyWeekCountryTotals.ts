import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Minutes per ISO week and country, so that the minutes and countries charts (SPEC §9: < 20 ms) read at
 * most a few hundred rows a week instead of summing every title row of the week (10,000 a week at scale).
 *
 * Writers of `spotify_weekly_stats` call `refresh_spotify_week_country_totals(weeks)` in the same
 * transaction, after their writes: it recomputes those weeks from the stats rows (NULL: every week), so
 * the totals are exact by construction rather than maintained by deltas. Refreshes are serialised by an
 * advisory lock held to commit; each statement after the lock reads a fresh snapshot (READ COMMITTED), so
 * the last writer to refresh a week also counts the rows that earlier writers committed.
 */
export class SpotifyWeekCountryTotals1795726932259 implements MigrationInterface {
  name = 'SpotifyWeekCountryTotals1795726932259';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE spotify_week_country_totals (
        week_start date NOT NULL,
        country char(2) NOT NULL,
        minutes numeric(18, 2) NOT NULL,
        PRIMARY KEY (week_start, country)
      )`);
    await q.query(`
      CREATE FUNCTION refresh_spotify_week_country_totals(weeks date[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('spotify_week_country_totals', 0));
        -- Two statements rather than "weeks IS NULL OR …": a cached generic plan could not use the index.
        IF weeks IS NULL THEN
          DELETE FROM spotify_week_country_totals;
          INSERT INTO spotify_week_country_totals (week_start, country, minutes)
          SELECT week_start, country, sum(minutes) FROM spotify_weekly_stats GROUP BY week_start, country;
        ELSE
          DELETE FROM spotify_week_country_totals WHERE week_start = ANY (weeks);
          INSERT INTO spotify_week_country_totals (week_start, country, minutes)
          SELECT week_start, country, sum(minutes) FROM spotify_weekly_stats
          WHERE week_start = ANY (weeks) GROUP BY week_start, country;
        END IF;
      END $$`);
    await q.query(`SELECT refresh_spotify_week_country_totals(NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION refresh_spotify_week_country_totals(date[])`);
    await q.query(`DROP TABLE spotify_week_country_totals`);
  }
}
