import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The title catalogue and exact revenue per title (SPEC §2 "Line items and titles").
 *
 * - `titles` (a work), its `editions` (one format each), the identifiers that lead to an edition
 *   (`edition_identifiers`: ISBN/GTIN and SKU on every platform, listing/product id per platform), the
 *   normalised names that lead to a title (`title_names`: its own, merged titles', spellings seen), and
 *   which edition each Spotify title key is (`spotify_title_editions`).
 * - `order_line_titles`: per order line, its edition and its share of the order's base total
 *   (`base_allocated`); `refund_line_allocations`: per refund and line, the line's share of the refund.
 *   Both are computed by `allocate_order_revenue` whenever lines, base totals or refunds change (triggers),
 *   with the largest-remainder rule in cents, so that an order's shares add up to its base total and a
 *   refund's shares to its base amount, exactly.
 * - `title_daily_totals` (day, title, platform) and `title_daily_countries` (day, title, country): rollups
 *   of those shares per local day of the business zone, fed like the order rollups: triggers only append
 *   the UTC hours they touch to `title_hourly_dirty`; readers take dirty days from the lines themselves,
 *   and `refresh_title_rollups(zone)` folds them. Title 0 holds orders stored without lines.
 *
 * Lines are matched to an edition at write time (`match_order_lines`): by ISBN/GTIN, then SKU, then the
 * platform's product id, then normalised title and format; what matches nothing becomes a new title.
 * Admin changes to the catalogue update catalogue rows only: every line keeps its edition, so every past
 * window follows (the rollups of the titles concerned are rebuilt in the same transaction).
 */
export class Titles1799600000000 implements MigrationInterface {
  name = 'Titles1799600000000';

  async up(q: QueryRunner): Promise<void> {
    await createCatalogue(q);
    await createNameFunctions(q);
    await createLineTables(q);
    await createMatching(q);
    await createAllocation(q);
    await createRollups(q);
    await createTriggers(q);
    // What is stored already: every line matched, every order with lines allocated, every Spotify key
    // matched. The rollups are built by the first refresh (no zone recorded yet: it rebuilds every day).
    await q.query(`SELECT match_order_lines(ARRAY(SELECT DISTINCT order_id FROM order_lines))`);
    await q.query(`SELECT allocate_order_revenue(ARRAY(SELECT DISTINCT order_id FROM order_lines))`);
    await q.query(`
      SELECT match_spotify_titles(array_agg(title_key), array_agg(isbn), array_agg(title))
      FROM (
        SELECT title_key, min(isbn) AS isbn, min(title) AS title
        FROM (SELECT title_key, isbn, title FROM spotify_weekly_stats
              UNION ALL SELECT title_key, isbn, title FROM spotify_monthly_stats
              UNION ALL SELECT title_key, isbn, title FROM spotify_revenue_lines) s
        GROUP BY title_key
      ) k`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, name] of [
      ['orders', 'titles_orders_insert'],
      ['orders', 'titles_orders_update'],
      ['orders', 'titles_orders_delete'],
      ['refunds', 'titles_refunds_insert'],
      ['refunds', 'titles_refunds_update'],
      ['refunds', 'titles_refunds_delete'],
      ['order_lines', 'titles_lines_insert'],
      ['order_lines', 'titles_lines_update'],
      ['order_lines', 'titles_lines_delete'],
    ]) {
      await q.query(`DROP TRIGGER ${name} ON ${table}`);
    }
    for (const table of [
      'title_rollup_zone',
      'title_hourly_dirty',
      'title_daily_countries',
      'title_daily_totals',
      'refund_line_allocations',
      'order_line_titles',
      'spotify_title_editions',
      'edition_identifiers',
      'editions',
      'title_names',
      'titles',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    for (const fn of [
      'titles_orders_changed()',
      'titles_refunds_changed()',
      'titles_lines_changed()',
      'rebuild_title_rollups(bigint[], text)',
      'refresh_title_rollups(text)',
      'title_day_rows(timestamptz, timestamptz, text, bigint[])',
      'mark_title_hours(bigint[])',
      'allocate_order_revenue(bigint[])',
      'match_spotify_titles(text[], text[], text[])',
      'match_order_lines(bigint[])',
      'link_lines_to_editions(bigint[])',
      'title_display(text)',
      'edition_format(text, text)',
      'title_key(text)',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
  }
}

async function createCatalogue(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE titles (
      id bigserial PRIMARY KEY,
      name text NOT NULL CHECK (btrim(name) <> ''),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`
    CREATE TABLE title_names (
      key text PRIMARY KEY,
      title_id bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE
    )`);
  await q.query(`CREATE INDEX title_names_title ON title_names (title_id)`);
  await q.query(`
    CREATE TABLE editions (
      id bigserial PRIMARY KEY,
      title_id bigint NOT NULL REFERENCES titles (id),
      format text NOT NULL CHECK (format IN ('paperback', 'hardcover', 'ebook', 'audiobook', 'print', 'other')),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`CREATE INDEX editions_title ON editions (title_id)`);
  // An identifier leads to one edition. ISBNs and SKUs hold on every platform (platform ''); a listing
  // or product id only on its own platform.
  await q.query(`
    CREATE TABLE edition_identifiers (
      kind text NOT NULL CHECK (kind IN ('isbn', 'sku', 'listing')),
      platform text NOT NULL DEFAULT '',
      value text NOT NULL CHECK (value <> ''),
      edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
      PRIMARY KEY (kind, platform, value),
      CHECK ((kind = 'listing') = (platform <> ''))
    )`);
  await q.query(`CREATE INDEX edition_identifiers_edition ON edition_identifiers (edition_id)`);
  // Spotify reports key a title by its ISBN, else its lower-cased name (spotify_*.title_key).
  await q.query(`
    CREATE TABLE spotify_title_editions (
      title_key text PRIMARY KEY,
      edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE
    )`);
  await q.query(`CREATE INDEX spotify_title_editions_edition ON spotify_title_editions (edition_id)`);
}

/** Words that name a format, as regular expressions (word-bounded, case-insensitive), strongest first. */
const FORMAT_WORDS: Array<[format: string, words: string]> = [
  ['audiobook', 'audio ?books?|audio cd|audible|unabridged|abridged|mp3'],
  ['ebook', 'e-?books?|kindle|epub'],
  ['hardcover', 'hardcover|hardback|hard cover|cloth ?bound|hb'],
  ['paperback', 'paperback|softcover|soft cover|soft back|trade paper|pb'],
];
/** A variant that says print or poster is one; a title needs more (a book may be called "The Print Shop"). */
const PRINT_IN_VARIANT = 'art ?prints?|prints?|posters?|giclee';
const PRINT_IN_TITLE = 'art ?prints?|posters?|giclee';
/** Words dropped from a title before matching: formats, and "… edition" phrases. */
const EDITION_WORDS =
  'paperback|softcover|soft cover|hardcover|hardback|hard cover|e-?books?|kindle|epub|audio ?books?|audio cd|unabridged|abridged';
const EDITION_PHRASE =
  "(signed|special|limited|collector''?s|deluxe|anniversary|illustrated|revised|first|second|third|1st|2nd|3rd|new)?\\s*edition";

function formatCase(text: string, print: string): string {
  return [...FORMAT_WORDS, ['print', print] as [string, string]]
    .map(([format, words]) => `WHEN ${text} ~* '\\m(${words})\\M' THEN '${format}'`)
    .join(' ');
}

/**
 * The normalised title that lines and Spotify rows meet on: lower case, without bracketed parts, the
 * subtitle after a colon, format words and "… edition" phrases, and punctuation. A title that would
 * normalise to nothing keeps its lower-cased self. The format of a line: from its variant, else its title.
 */
async function createNameFunctions(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE FUNCTION title_key(title text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
      nullif(btrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        lower(split_part(regexp_replace(title, '\\([^)]*\\)|\\[[^]]*\\]', ' ', 'g'), ':', 1)),
        '&', ' and ', 'g'),
        '\\m(${EDITION_WORDS})\\M', ' ', 'gi'),
        '\\m${EDITION_PHRASE}\\M', ' ', 'gi'),
        '[^[:alnum:]]+', ' ', 'g')), ''),
      lower(btrim(title)))`);
  await q.query(`
    CREATE FUNCTION edition_format(title text, variant text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE ${formatCase('variant', PRINT_IN_VARIANT)} ${formatCase('title', PRINT_IN_TITLE)} ELSE 'other' END`);
  // The name a new title gets from its first line: bracketed parts and a trailing "- Paperback" dropped.
  await q.query(`
    CREATE FUNCTION title_display(title text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(
      nullif(btrim(regexp_replace(regexp_replace(title, '\\s*(\\([^)]*\\)|\\[[^]]*\\])', '', 'g'),
        '\\s*[-–|,]\\s*(${EDITION_WORDS})\\s*$', '', 'i')), ''),
      btrim(title))`);
}

async function createLineTables(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE order_line_titles (
      order_id bigint NOT NULL,
      position integer NOT NULL,
      -- No foreign key to editions (they are never deleted): its check would cost every line of an import.
      edition_id bigint NOT NULL,
      quantity integer NOT NULL,
      base_allocated numeric(14, 2),
      PRIMARY KEY (order_id, position),
      FOREIGN KEY (order_id, position) REFERENCES order_lines (order_id, position) ON DELETE CASCADE
    )`);
  await q.query(`CREATE INDEX order_line_titles_edition ON order_line_titles (edition_id)`);
  await q.query(`
    CREATE TABLE refund_line_allocations (
      refund_id bigint NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
      order_id bigint NOT NULL,
      position integer NOT NULL,
      amount numeric(14, 2) NOT NULL,
      PRIMARY KEY (refund_id, position),
      FOREIGN KEY (order_id, position) REFERENCES order_line_titles (order_id, position) ON DELETE CASCADE
    )`);
  await q.query(`CREATE INDEX refund_line_allocations_line ON refund_line_allocations (order_id, position)`);
}

/**
 * Matching lines to editions. `link_lines_to_editions` links the lines of the given orders that have no
 * edition yet to the one their identifiers or name lead to; `match_order_lines` also creates titles and
 * editions for what leads nowhere (one transaction at a time: two deliveries of one new book make one
 * title), then learns the lines' identifiers and spellings for the lines to come.
 */
async function createMatching(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE FUNCTION link_lines_to_editions(order_ids bigint[]) RETURNS void LANGUAGE sql AS $$
      WITH m AS MATERIALIZED (
        SELECT l.order_id, l.position, greatest(l.quantity, 0) AS quantity, coalesce(
          isbn.edition_id, sku.edition_id, listing.edition_id,
          (SELECT e.id FROM title_names n JOIN editions e ON e.title_id = n.title_id
            WHERE n.key = title_key(l.title) AND e.format = edition_format(l.title, l.variant) ORDER BY e.id LIMIT 1)
        ) AS edition_id
        FROM (SELECT DISTINCT x.id FROM unnest(order_ids) AS x (id)) ids
        JOIN order_lines l ON l.order_id = ids.id
        JOIN orders o ON o.id = l.order_id
        LEFT JOIN edition_identifiers isbn ON isbn.kind = 'isbn' AND isbn.platform = '' AND isbn.value = l.gtin
        LEFT JOIN edition_identifiers sku ON sku.kind = 'sku' AND sku.platform = '' AND sku.value = l.sku
        LEFT JOIN edition_identifiers listing
          ON listing.kind = 'listing' AND listing.platform = o.platform AND listing.value = l.product_id
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
      )
      INSERT INTO order_line_titles (order_id, position, edition_id, quantity)
      SELECT order_id, position, edition_id, quantity FROM m WHERE edition_id IS NOT NULL
      ORDER BY order_id, position
    $$`);
  await q.query(`
    CREATE FUNCTION match_order_lines(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM link_lines_to_editions(order_ids);
      IF EXISTS (
        SELECT 1 FROM unnest(order_ids) AS x (id) JOIN order_lines l ON l.order_id = x.id
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
      ) THEN
        PERFORM pg_advisory_xact_lock(hashtext('titles.catalogue'));
        -- Another transaction may have created them while this one waited (each statement sees its commits).
        PERFORM link_lines_to_editions(order_ids);
        WITH unmatched AS (
          SELECT l.order_id, l.position, l.title, title_key(l.title) AS key
          FROM unnest(order_ids) AS x (id) JOIN order_lines l ON l.order_id = x.id
          WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
        ), new_titles AS (
          SELECT nextval(pg_get_serial_sequence('titles', 'id')) AS id, key, name
          FROM (
            SELECT DISTINCT ON (u.key) u.key, title_display(u.title) AS name FROM unmatched u
            WHERE NOT EXISTS (SELECT 1 FROM title_names n WHERE n.key = u.key)
            ORDER BY u.key, u.order_id, u.position
          ) k
        ), put_titles AS (
          INSERT INTO titles (id, name) SELECT id, name FROM new_titles
        )
        INSERT INTO title_names (key, title_id) SELECT key, id FROM new_titles;
        INSERT INTO editions (title_id, format)
        SELECT DISTINCT n.title_id, edition_format(l.title, l.variant)
        FROM unnest(order_ids) AS x (id) JOIN order_lines l ON l.order_id = x.id
        JOIN title_names n ON n.key = title_key(l.title)
        WHERE NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = l.order_id AND t.position = l.position)
          AND NOT EXISTS (SELECT 1 FROM editions e WHERE e.title_id = n.title_id AND e.format = edition_format(l.title, l.variant))
        ORDER BY 1, 2;
        PERFORM link_lines_to_editions(order_ids);
      END IF;
      -- Learn: the identifiers and spellings of these lines lead to their editions from now on (where two
      -- editions claim one, the older). Grouped before normalising: an import has few distinct ones.
      INSERT INTO edition_identifiers (kind, platform, value, edition_id)
      SELECT kind, platform, value, min(edition_id)
      FROM (
        SELECT k.kind, k.platform, k.value, t.edition_id
        FROM unnest(order_ids) AS x (id) JOIN order_line_titles t ON t.order_id = x.id
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN orders o ON o.id = t.order_id
        CROSS JOIN LATERAL (VALUES ('isbn', '', l.gtin), ('sku', '', l.sku), ('listing', o.platform, l.product_id)) AS k (kind, platform, value)
        WHERE k.value <> ''
      ) seen
      GROUP BY kind, platform, value
      ORDER BY kind, platform, value
      ON CONFLICT DO NOTHING;
      INSERT INTO title_names (key, title_id)
      SELECT title_key(title), min(title_id)
      FROM (
        SELECT DISTINCT l.title, e.title_id
        FROM unnest(order_ids) AS x (id) JOIN order_line_titles t ON t.order_id = x.id
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN editions e ON e.id = t.edition_id
      ) seen
      GROUP BY 1
      ORDER BY 1
      ON CONFLICT DO NOTHING;
    END $$`);
  // Spotify titles are audiobooks: by ISBN, else by name (its audiobook edition, made when missing).
  await q.query(`
    CREATE FUNCTION match_spotify_titles(keys text[], isbns text[], names text[]) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      row record;
      found_edition bigint;
      found_title bigint;
      matched integer := 0;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('titles.catalogue'));
      FOR row IN
        SELECT DISTINCT ON (k.key) k.key, coalesce(k.isbn, '') AS isbn, k.name
        FROM unnest(keys, isbns, names) AS k (key, isbn, name)
        WHERE k.key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM spotify_title_editions s WHERE s.title_key = k.key)
        ORDER BY k.key
      LOOP
        found_edition := NULL;
        IF row.isbn <> '' THEN
          SELECT i.edition_id INTO found_edition FROM edition_identifiers i
          WHERE i.kind = 'isbn' AND i.platform = '' AND i.value = row.isbn;
        END IF;
        IF found_edition IS NULL THEN
          SELECT n.title_id INTO found_title FROM title_names n WHERE n.key = title_key(row.name);
          IF found_title IS NULL THEN
            INSERT INTO titles (name) VALUES (title_display(row.name)) RETURNING id INTO found_title;
            INSERT INTO title_names (key, title_id) VALUES (title_key(row.name), found_title);
          END IF;
          SELECT e.id INTO found_edition FROM editions e
          WHERE e.title_id = found_title AND e.format = 'audiobook' ORDER BY e.id LIMIT 1;
          IF found_edition IS NULL THEN
            INSERT INTO editions (title_id, format) VALUES (found_title, 'audiobook') RETURNING id INTO found_edition;
          END IF;
          IF row.isbn <> '' THEN
            INSERT INTO edition_identifiers (kind, platform, value, edition_id)
            VALUES ('isbn', '', row.isbn, found_edition) ON CONFLICT DO NOTHING;
          END IF;
        END IF;
        INSERT INTO spotify_title_editions (title_key, edition_id) VALUES (row.key, found_edition);
        matched := matched + 1;
      END LOOP;
      RETURN matched;
    END $$`);
}

/**
 * Shares of an order's base total over its lines, and of each converted refund over the lines it names
 * (the lines with a refunded amount), else over all lines: pro rata to the lines' totals (their
 * quantities when every total is zero, else equally), in cents, each line first getting the whole
 * cents of its exact share and the cents left over going to the largest remainders (then the lowest
 * position). Integer arithmetic in `numeric`: exact for any amount.
 */
async function createAllocation(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE FUNCTION allocate_order_revenue(order_ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      WITH ids AS (SELECT DISTINCT x.id FROM unnest(order_ids) AS x (id)),
      lines AS (
        SELECT t.order_id, t.position, o.base_total, l.quantity AS line_quantity,
          greatest(coalesce(l.line_total, 0), 0) * 100 AS by_total, greatest(l.quantity, 0) AS by_quantity,
          greatest(l.refunded_amount, 0) * 100 AS by_refund
        FROM ids JOIN order_line_titles t ON t.order_id = ids.id
        JOIN order_lines l ON l.order_id = t.order_id AND l.position = t.position
        JOIN orders o ON o.id = t.order_id
      ),
      weighted AS (
        SELECT order_id, position, base_total, line_quantity, weight,
          CASE WHEN sum(by_refund) OVER w > 0 THEN by_refund ELSE weight END AS refund_weight
        FROM (
          SELECT *, CASE WHEN sum(by_total) OVER w > 0 THEN by_total WHEN sum(by_quantity) OVER w > 0 THEN by_quantity ELSE 1 END AS weight
          FROM lines WINDOW w AS (PARTITION BY order_id)
        ) x
        WINDOW w AS (PARTITION BY order_id)
      ),
      sources AS (
        SELECT order_id, position, 0::bigint AS refund_id, base_total * 100 AS cents, weight FROM weighted WHERE base_total IS NOT NULL
        UNION ALL
        SELECT w.order_id, w.position, r.id, r.base_amount * 100, w.refund_weight
        FROM weighted w JOIN refunds r ON r.order_id = w.order_id WHERE r.base_amount IS NOT NULL
      ),
      remainders AS (
        SELECT *, mod(mod(cents * weight, total_weight) + total_weight, total_weight) AS remainder
        FROM (SELECT *, sum(weight) OVER (PARTITION BY order_id, refund_id) AS total_weight FROM sources) s
      ),
      ranked AS (
        SELECT order_id, position, refund_id, whole,
          cents - sum(whole) OVER (PARTITION BY order_id, refund_id) AS leftover,
          row_number() OVER (PARTITION BY order_id, refund_id ORDER BY remainder DESC, position) AS rank
        FROM (SELECT *, (cents * weight - remainder) / total_weight AS whole FROM remainders) f
      ),
      shares AS (
        SELECT order_id, position, refund_id, ((whole + CASE WHEN rank <= leftover THEN 1 ELSE 0 END) / 100)::numeric(14, 2) AS amount
        FROM ranked
      ),
      put_lines AS (
        UPDATE order_line_titles t SET base_allocated = s.amount, quantity = greatest(w.line_quantity, 0)
        FROM weighted w LEFT JOIN shares s ON s.order_id = w.order_id AND s.position = w.position AND s.refund_id = 0
        WHERE t.order_id = w.order_id AND t.position = w.position
          AND (t.base_allocated, t.quantity) IS DISTINCT FROM (s.amount, greatest(w.line_quantity, 0))
      )
      INSERT INTO refund_line_allocations (refund_id, order_id, position, amount)
      SELECT refund_id, order_id, position, amount FROM shares WHERE refund_id <> 0
      ORDER BY refund_id, position
      ON CONFLICT (refund_id, position) DO UPDATE SET amount = excluded.amount
        WHERE refund_line_allocations.amount IS DISTINCT FROM excluded.amount;
      -- Shares of refunds that lost their base amount.
      DELETE FROM refund_line_allocations a USING refunds r, unnest(order_ids) AS x (id)
      WHERE a.refund_id = r.id AND r.order_id = x.id AND r.base_amount IS NULL;
    END $$`);
}

/**
 * The rollups and their dirty list (see the class comment). `title_day_rows` is the one statement of
 * what a title earns per local day: orders created in [lo, hi) with their sales and the refunds dated by
 * their order; refunds refunded in [lo, hi); counted, convertible orders and converted refunds only (the
 * rule of apps/api/src/sales/sales-sql.ts, restated here because a migration cannot import it;
 * titles-sums.integration.spec.ts holds the two to the same figures). Title 0: orders without lines.
 */
async function createRollups(q: QueryRunner): Promise<void> {
  for (const [table, key] of [
    ['title_daily_totals', 'platform'],
    ['title_daily_countries', 'country'],
  ]) {
    await q.query(`
      CREATE TABLE ${table} (
        day date NOT NULL,
        title_id bigint NOT NULL,
        ${key} text NOT NULL,
        orders integer NOT NULL,
        units integer NOT NULL,
        sales numeric(16, 2) NOT NULL,
        refunds_by_refund_date numeric(16, 2) NOT NULL,
        refunds_by_order_date numeric(16, 2) NOT NULL,
        PRIMARY KEY (day, title_id, ${key})
      )`);
    await q.query(`CREATE INDEX ${table}_title_day ON ${table} (title_id, day)`);
  }
  await q.query(`CREATE TABLE title_hourly_dirty (hour timestamptz NOT NULL)`);
  await q.query(`CREATE INDEX title_hourly_dirty_hour ON title_hourly_dirty (hour)`);
  await q.query(`
    CREATE TABLE title_rollup_zone (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      zone text NOT NULL
    )`);

  // Whole-day rows of orders created and refunds dated in [lo, hi); `titles` narrows it to those titles'
  // lines (NULL: everything, the orders without lines included).
  await q.query(`
    CREATE FUNCTION title_day_rows(lo timestamptz, hi timestamptz, business_zone text, titles bigint[])
    RETURNS TABLE (day date, title_id bigint, platform text, country text, orders bigint, units bigint, sales numeric,
                   by_refund_date numeric, by_order_date numeric)
    LANGUAGE sql STABLE AS $$
      SELECT (o.created_at AT TIME ZONE business_zone)::date, e.title_id, o.platform, coalesce(o.country::text, ''),
        count(DISTINCT o.id), sum(t.quantity), sum(t.base_allocated), 0, coalesce(sum(rf.amount), 0)
      FROM orders o
      JOIN order_line_titles t ON t.order_id = o.id
      JOIN editions e ON e.id = t.edition_id
      LEFT JOIN LATERAL (
        SELECT sum(a.amount) AS amount FROM refund_line_allocations a JOIN refunds r ON r.id = a.refund_id
        WHERE a.order_id = t.order_id AND a.position = t.position AND r.base_amount IS NOT NULL
      ) rf ON true
      WHERE o.counted AND o.base_total IS NOT NULL AND o.created_at >= lo AND o.created_at < hi
        AND (titles IS NULL OR e.title_id = ANY (titles))
      GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT (o.created_at AT TIME ZONE business_zone)::date, 0, o.platform, coalesce(o.country::text, ''), count(*), 0,
        sum(o.base_total), 0, coalesce(sum(rf.amount), 0)
      FROM orders o
      LEFT JOIN LATERAL (SELECT sum(r.base_amount) AS amount FROM refunds r WHERE r.order_id = o.id AND r.base_amount IS NOT NULL) rf ON true
      WHERE titles IS NULL AND o.counted AND o.base_total IS NOT NULL AND o.created_at >= lo AND o.created_at < hi
        AND NOT EXISTS (SELECT 1 FROM order_line_titles t WHERE t.order_id = o.id)
      GROUP BY 1, 2, 3, 4
      UNION ALL
      SELECT (r.refunded_at AT TIME ZONE business_zone)::date, coalesce(e.title_id, 0), o.platform, coalesce(o.country::text, ''),
        0, 0, 0, sum(coalesce(a.amount, r.base_amount)), 0
      FROM refunds r
      JOIN orders o ON o.id = r.order_id
      LEFT JOIN refund_line_allocations a ON a.refund_id = r.id
      LEFT JOIN order_line_titles t ON t.order_id = a.order_id AND t.position = a.position
      LEFT JOIN editions e ON e.id = t.edition_id
      WHERE r.base_amount IS NOT NULL AND o.counted AND o.base_total IS NOT NULL AND r.refunded_at >= lo AND r.refunded_at < hi
        AND (titles IS NULL OR e.title_id = ANY (titles))
      GROUP BY 1, 2, 3, 4
    $$`);

  const fold = (rows: string) => `
        INSERT INTO title_daily_totals (day, title_id, platform, orders, units, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT day, title_id, platform, sum(orders), sum(units), sum(sales), sum(by_refund_date), sum(by_order_date)
        FROM ${rows} GROUP BY day, title_id, platform;
        INSERT INTO title_daily_countries (day, title_id, country, orders, units, sales, refunds_by_refund_date, refunds_by_order_date)
        SELECT day, title_id, country, sum(orders), sum(units), sum(sales), sum(by_refund_date), sum(by_order_date)
        FROM ${rows} GROUP BY day, title_id, country;`;

  // Same turn-taking as refresh_order_rollups: markers are deleted before the recount, whose snapshot is
  // newer; markers of later commits stay for the next refresh. A few dirty days are recounted one by one
  // (index range scans); a rebuild (no rollups yet, or built in another zone) counts everything in one pass.
  await q.query(`
    CREATE FUNCTION refresh_title_rollups(business_zone text) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      folded integer;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('refresh_title_rollups'));
      DROP TABLE IF EXISTS pg_temp.title_rollup_days, pg_temp.title_rollup_rows;
      IF EXISTS (SELECT 1 FROM title_rollup_zone z WHERE z.zone = business_zone) THEN
        CREATE TEMP TABLE title_rollup_days (day date PRIMARY KEY) ON COMMIT DROP;
        WITH done AS (DELETE FROM title_hourly_dirty RETURNING hour)
        INSERT INTO title_rollup_days
          SELECT (hour AT TIME ZONE business_zone)::date FROM done
          UNION SELECT ((hour + interval '1 hour' - interval '1 microsecond') AT TIME ZONE business_zone)::date FROM done;
        ANALYZE title_rollup_days;
        SELECT count(*) INTO folded FROM title_rollup_days;
        DELETE FROM title_daily_totals t USING title_rollup_days d WHERE t.day = d.day;
        DELETE FROM title_daily_countries t USING title_rollup_days d WHERE t.day = d.day;
        CREATE TEMP TABLE title_rollup_rows ON COMMIT DROP AS
          SELECT r.* FROM title_rollup_days d
          CROSS JOIN LATERAL title_day_rows(d.day::timestamp AT TIME ZONE business_zone,
                                            (d.day + 1)::timestamp AT TIME ZONE business_zone, business_zone, NULL) r;
      ELSE
        DELETE FROM title_hourly_dirty;
        DELETE FROM title_daily_totals;
        DELETE FROM title_daily_countries;
        INSERT INTO title_rollup_zone (id, zone) VALUES (true, business_zone)
          ON CONFLICT (id) DO UPDATE SET zone = excluded.zone;
        CREATE TEMP TABLE title_rollup_rows ON COMMIT DROP AS
          SELECT * FROM title_day_rows('-infinity', 'infinity', business_zone, NULL);
        SELECT count(DISTINCT day) INTO folded FROM title_rollup_rows;
      END IF;
      ${fold('title_rollup_rows')}
      RETURN folded;
    END $$`);

  // After a merge, split or move: the rows of these titles on every day, recomputed from their lines
  // (orders without lines are not concerned). Nothing to do while the rollups wait for a rebuild.
  await q.query(`
    CREATE FUNCTION rebuild_title_rollups(title_ids bigint[], business_zone text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('refresh_title_rollups'));
      IF NOT EXISTS (SELECT 1 FROM title_rollup_zone z WHERE z.zone = business_zone) THEN
        RETURN;
      END IF;
      DELETE FROM title_daily_totals WHERE title_id = ANY (title_ids);
      DELETE FROM title_daily_countries WHERE title_id = ANY (title_ids);
      DROP TABLE IF EXISTS pg_temp.title_rebuild_rows;
      CREATE TEMP TABLE title_rebuild_rows ON COMMIT DROP AS
        SELECT * FROM title_day_rows('-infinity', 'infinity', business_zone, title_ids);
      ${fold('title_rebuild_rows')}
    END $$`);
}

/**
 * Write-side triggers (statement-level, with transition tables): lines that arrive are matched and their
 * orders allocated; anything that changes an order's lines, base total or refunds reallocates it; and the
 * hours whose title figures change are marked dirty (the orders' own hours and those of their refunds).
 */
async function createTriggers(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE FUNCTION mark_title_hours(order_ids bigint[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO title_hourly_dirty (hour)
      SELECT DISTINCT hour FROM (
        SELECT order_hour(o.created_at) AS hour FROM unnest(order_ids) AS x (id) JOIN orders o ON o.id = x.id
        WHERE o.counted AND o.base_total IS NOT NULL
        UNION ALL
        SELECT order_hour(r.refunded_at) FROM unnest(order_ids) AS x (id) JOIN refunds r ON r.order_id = x.id
      ) hours
    $$`);
  await q.query(`
    CREATE FUNCTION titles_lines_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      ids bigint[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT order_id FROM new_rows);
      ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT DISTINCT order_id FROM old_rows);
      ELSE
        -- A line that now names another product is matched again.
        DELETE FROM order_line_titles t USING old_rows o JOIN new_rows n ON n.order_id = o.order_id AND n.position = o.position
        WHERE t.order_id = n.order_id AND t.position = n.position
          AND (o.title, o.variant, o.sku, o.gtin, o.product_id) IS DISTINCT FROM (n.title, n.variant, n.sku, n.gtin, n.product_id);
        ids := ARRAY(
          SELECT DISTINCT n.order_id FROM old_rows o JOIN new_rows n ON n.order_id = o.order_id AND n.position = o.position
          WHERE (o.title, o.variant, o.sku, o.gtin, o.product_id, o.quantity, o.line_total, o.refunded_amount)
                IS DISTINCT FROM (n.title, n.variant, n.sku, n.gtin, n.product_id, n.quantity, n.line_total, n.refunded_amount));
      END IF;
      IF cardinality(ids) > 0 THEN
        IF TG_OP <> 'DELETE' THEN
          PERFORM match_order_lines(ids);
        END IF;
        PERFORM allocate_order_revenue(ids);
        PERFORM mark_title_hours(ids);
      END IF;
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE FUNCTION titles_orders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      ids bigint[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM mark_title_hours(ARRAY(SELECT id FROM new_rows));
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO title_hourly_dirty (hour)
          SELECT DISTINCT order_hour(o.created_at) FROM old_rows o WHERE o.counted AND o.base_total IS NOT NULL;
      ELSE
        ids := ARRAY(
          SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE (o.created_at, o.base_total, o.counted, o.country, o.platform)
                IS DISTINCT FROM (n.created_at, n.base_total, n.counted, n.country, n.platform));
        IF cardinality(ids) > 0 THEN
          PERFORM allocate_order_revenue(ARRAY(
            SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.base_total IS DISTINCT FROM n.base_total));
          PERFORM mark_title_hours(ids);
          INSERT INTO title_hourly_dirty (hour)
            SELECT DISTINCT order_hour(o.created_at) FROM old_rows o WHERE o.id = ANY (ids) AND o.counted AND o.base_total IS NOT NULL;
        END IF;
      END IF;
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE FUNCTION titles_refunds_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      ids bigint[];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT order_id FROM new_rows);
      ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT DISTINCT order_id FROM old_rows);
        -- The refund is gone from its order (or its order is gone): mark its own hour here.
        INSERT INTO title_hourly_dirty (hour) SELECT DISTINCT order_hour(refunded_at) FROM old_rows;
      ELSE
        ids := ARRAY(SELECT DISTINCT order_id FROM new_rows UNION SELECT order_id FROM old_rows);
        INSERT INTO title_hourly_dirty (hour) SELECT DISTINCT order_hour(refunded_at) FROM old_rows;
      END IF;
      PERFORM allocate_order_revenue(ids);
      PERFORM mark_title_hours(ids);
      RETURN NULL;
    END $$`);
  for (const [table, fn] of [
    ['order_lines', 'titles_lines_changed'],
    ['orders', 'titles_orders_changed'],
    ['refunds', 'titles_refunds_changed'],
  ]) {
    const prefix = table === 'order_lines' ? 'titles_lines' : `titles_${table}`;
    await q.query(
      `CREATE TRIGGER ${prefix}_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await q.query(
      `CREATE TRIGGER ${prefix}_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await q.query(
      `CREATE TRIGGER ${prefix}_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
  }
}
