import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Royalty statements (SPEC §4 "Royalty statements", FORMATS.md §6.1): the Findaway / INaudio "Digital
 * Royalty" XLSX, one per payee and month.
 *
 * - `spotify_statements`: one row per (issuer, payee, period): a corrected re-issue of the same period
 *   replaces the row and its lines, and counts in `versions`. Amounts in the statement's own currency;
 *   base amounts are converted when read (fx_rates at the invoice date), so a rate that arrives later
 *   converts them too.
 * - `spotify_statement_lines`: every line of every channel sheet, with its 19 columns, keyed to the
 *   catalogue through `title_key` (ISBN, else the lower-cased title), as every Spotify row is.
 * - The statement columns join the header alias table, so that a renamed column is an admin's fix.
 */
export class RoyaltyStatements1799715000000 implements MigrationInterface {
  name = 'RoyaltyStatements1799715000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE spotify_statements (
        id bigserial PRIMARY KEY,
        issuer text NOT NULL,
        payee text NOT NULL DEFAULT '',
        period_start date NOT NULL,
        period_end date NOT NULL CHECK (period_end >= period_start),
        month date NOT NULL CHECK (month = date_trunc('month', month)::date),
        invoice_number text NOT NULL DEFAULT '',
        invoice_date date NOT NULL,
        due_date date NOT NULL,
        currency char(3) NOT NULL,
        net_amount numeric(16, 4) NOT NULL,
        channels jsonb NOT NULL DEFAULT '[]',
        upload_id bigint REFERENCES upload_log (id) ON DELETE SET NULL,
        versions integer NOT NULL DEFAULT 1,
        CONSTRAINT spotify_statements_period UNIQUE (issuer, payee, period_start, period_end)
      )`);
    await q.query(`CREATE INDEX spotify_statements_month ON spotify_statements (month)`);
    await q.query(`
      CREATE TABLE spotify_statement_lines (
        id bigserial PRIMARY KEY,
        statement_id bigint NOT NULL REFERENCES spotify_statements (id) ON DELETE CASCADE,
        month date NOT NULL,
        channel text NOT NULL,
        sheet_row integer NOT NULL,
        title text NOT NULL,
        isbn text NOT NULL DEFAULT '',
        title_key text NOT NULL,
        sales_type text NOT NULL,
        partner text NOT NULL,
        is_spotify boolean NOT NULL,
        is_pool boolean NOT NULL,
        territory char(2),
        royalty_rate text,
        display_number text,
        publisher text,
        promotion text,
        currency char(3),
        list_price numeric(16, 4),
        price_type text,
        sales_qty numeric(14, 2) NOT NULL DEFAULT 0,
        gross_revenue numeric(16, 4),
        royalty_earned numeric(16, 4),
        distribution_fee numeric(16, 4),
        exchange_rate numeric(18, 8),
        payable_currency char(3) NOT NULL,
        royalty_payable numeric(16, 4) NOT NULL
      )`);
    await q.query(`CREATE INDEX spotify_statement_lines_statement ON spotify_statement_lines (statement_id)`);
    await q.query(`CREATE INDEX spotify_statement_lines_title ON spotify_statement_lines (title_key, month)`);
    for (const [alias, field] of STATEMENT_ALIASES) {
      await q.query(
        `INSERT INTO upload_header_aliases (alias_key, alias, field, factor, builtin) VALUES ($1, $2, $3, 1, true)
         ON CONFLICT (alias_key) DO NOTHING`,
        [aliasKey(alias), alias, field],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM upload_header_aliases WHERE builtin AND alias_key = ANY ($1)`, [
      STATEMENT_ALIASES.map(([alias]) => aliasKey(alias)),
    ]);
    await q.query(`DROP TABLE spotify_statement_lines`);
    await q.query(`DROP TABLE spotify_statements`);
  }
}

/**
 * The channel sheets' headers that no report had (`Title`, `ISBN #` → `isbn`, `Currency` are aliases
 * already). `Sales Type` is the revenue model, `Sale Territory` the country, `Sales Qty` the units and
 * `Royalty Payable` the net royalty: the same meaning under another name.
 */
const STATEMENT_ALIASES: Array<[string, string]> = [
  ['Sales Type', 'revenueModel'],
  ['Royalty Rate', 'royaltyRate'],
  ['Display #', 'displayNumber'],
  ['Publisher', 'publisher'],
  ['Partner', 'partner'],
  ['Retailer', 'partner'],
  ['Promotion', 'promotion'],
  ['Sale Territory', 'country'],
  ['DLP', 'listPrice'],
  ['Price Type', 'priceType'],
  ['Sales Qty', 'units'],
  ['Revenue', 'grossRevenue'],
  ['Royalty Earned', 'royaltyEarned'],
  ['Less Distribution Fee', 'distributionFee'],
  ['Distribution Fee', 'distributionFee'],
  ['Exchange Rate', 'exchangeRate'],
  ['Royalty Payable Currency', 'payableCurrency'],
  ['Royalty Payable', 'netRoyalty'],
];

/** The alias table's key, as `headerKey` in apps/api/src/upload/header-aliases.ts computes it. */
function aliasKey(alias: string): string {
  return alias
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
