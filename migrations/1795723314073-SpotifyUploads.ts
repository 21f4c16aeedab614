import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spotify report uploads: the header alias table (admins extend it without a code change, SPEC §4) and
 * the natural key of revenue lines, so that re-uploading a report replaces the lines it covers. The
 * revenue model is part of that key because one title/month/territory has a pool line, an à-la-carte
 * line and adjustment lines side by side.
 */
export class SpotifyUploads1795723314073 implements MigrationInterface {
  name = 'SpotifyUploads1795723314073';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE upload_header_aliases (
        alias_key text PRIMARY KEY,
        alias text NOT NULL,
        field text NOT NULL,
        factor numeric(12, 6) NOT NULL DEFAULT 1 CHECK (factor > 0),
        builtin boolean NOT NULL DEFAULT false
      )`);
    const defaults: Array<[string, string, number?]> = [
      ['Week starting', 'week'],
      ['Week', 'week'],
      ['Week start', 'week'],
      ['Week beginning', 'week'],
      ['Week commencing', 'week'],
      ['Month', 'month'],
      ['Reporting month', 'month'],
      ['Reporting period', 'period'],
      ['Period', 'period'],
      ['Sales period', 'period'],
      ['Title', 'title'],
      ['Book title', 'title'],
      ['Book', 'title'],
      ['ISBN', 'isbn'],
      ['ISBN13', 'isbn'],
      ['ISBN 13', 'isbn'],
      ['EAN', 'isbn'],
      ['Country', 'country'],
      ['Territory', 'country'],
      ['Country code', 'country'],
      ['Market', 'country'],
      ['Total listen minutes', 'minutes'],
      ['Listen minutes', 'minutes'],
      ['Listening minutes', 'minutes'],
      ['Minutes', 'minutes'],
      ['Minutes listened', 'minutes'],
      ['Total listening minutes', 'minutes'],
      ['Hours', 'minutes', 60],
      ['Listening hours', 'minutes', 60],
      ['Listen hours', 'minutes', 60],
      ['Total listen hours', 'minutes', 60],
      ['Completed listen equivalents', 'completes'],
      ['Completes', 'completes'],
      ['Completed listens', 'completes'],
      ['Revenue model', 'revenueModel'],
      ['Sales model', 'revenueModel'],
      ['Model', 'revenueModel'],
      ['Units', 'units'],
      ['Quantity', 'units'],
      ['Currency', 'currency'],
      ['Net royalty', 'netRoyalty'],
      ['Royalty', 'netRoyalty'],
      ['Net royalties', 'netRoyalty'],
      ['Net revenue', 'netRoyalty'],
      ['Earnings', 'netRoyalty'],
    ];
    for (const [alias, field, factor] of defaults) {
      await q.query(
        `INSERT INTO upload_header_aliases (alias_key, alias, field, factor, builtin) VALUES ($1, $2, $3, $4, true)`,
        [aliasKey(alias), alias, field, factor ?? 1],
      );
    }
    await q.query(`
      CREATE UNIQUE INDEX spotify_revenue_lines_natural_key
        ON spotify_revenue_lines (period, title_key, (coalesce(country, '')), revenue_model)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX spotify_revenue_lines_natural_key`);
    await q.query(`DROP TABLE upload_header_aliases`);
  }
}

/** Same normalisation as `headerKey` in apps/api/src/upload/header-aliases.ts (a migration must not import app code). */
function aliasKey(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
