/**
 * The demo's title catalogue (SPEC §2 "Line items and titles"): a dozen titles in several formats, each
 * edition with its SKU and, for books, its ISBN; the six audiobooks carry the ISBNs of the demo's Spotify
 * rows, so that listening lands on them. Everything is SQL over these rows: lines for a million orders
 * take one statement.
 */
interface DemoEdition {
  title: string;
  format: 'paperback' | 'hardcover' | 'ebook' | 'audiobook' | 'print';
  /** How a shop writes the format on a line. */
  variant: string;
  sku: string;
  isbn: string | null;
  /** List price in the order's currency; lines are scaled to the order's total. */
  price: string;
  /** How often it sells, relative to the others. */
  weight: number;
}

const BOOKS: Array<[title: string, code: string, isbnStem: string, popularity: number]> = [
  ['The Ink Road', 'IR', '97810000001', 10],
  ['Paper Harbours', 'PH', '97810000002', 8],
  ['Letters from Mt Ink', 'LM', '97810000003', 6],
  ['A Quiet Press', 'QP', '97810000004', 5],
  ['North of the Margin', 'NM', '97810000005', 4],
  ['Small Capitals', 'SC', '97810000006', 3],
  ['The Salt Road', 'SR', '97810000007', 5],
  ['Lanterns of Kell', 'LK', '97810000008', 4],
  ['The Compositor’s Daughter', 'CD', '97810000009', 3],
  ['Moveable Type', 'MT', '97810000010', 2],
];

/** The ISBNs of the demo's Spotify rows, in the order of BOOKS. */
const SPOTIFY_ISBNS = [
  '9781000000011',
  '9781000000028',
  '9781000000035',
  '9781000000042',
  '9781000000059',
  '9781000000066',
];

/** ISBN-13 check digit of twelve digits. */
function isbn13(twelve: string): string {
  const sum = [...twelve].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${twelve}${(10 - (sum % 10)) % 10}`;
}

export const DEMO_EDITIONS: DemoEdition[] = [
  ...BOOKS.flatMap(([title, code, stem, popularity], i): DemoEdition[] => [
    {
      title,
      format: 'paperback',
      variant: 'Paperback',
      sku: `${code}-PB`,
      isbn: isbn13(`${stem}2`),
      price: '14.99',
      weight: popularity * 5,
    },
    {
      title,
      format: 'hardcover',
      variant: 'Hardcover',
      sku: `${code}-HC`,
      isbn: isbn13(`${stem}3`),
      price: '24.99',
      weight: popularity * 2,
    },
    {
      title,
      format: 'ebook',
      variant: 'eBook',
      sku: `${code}-EB`,
      isbn: isbn13(`${stem}4`),
      price: '7.99',
      weight: popularity * 2,
    },
    // The first six are the Spotify titles of the demo (SPOTIFY_WEEKLY_SQL): their audiobooks carry those ISBNs.
    ...(i < SPOTIFY_ISBNS.length
      ? [
          {
            title,
            format: 'audiobook' as const,
            variant: 'Audiobook',
            sku: `${code}-AB`,
            isbn: SPOTIFY_ISBNS[i]!,
            price: '19.99',
            weight: popularity,
          },
        ]
      : []),
  ]),
  {
    title: 'Mt Ink Letterpress Poster',
    format: 'print',
    variant: 'A2 art print',
    sku: 'POSTER-A2',
    isbn: null,
    price: '29.00',
    weight: 6,
  },
  {
    title: 'Winter Broadsides',
    format: 'print',
    variant: 'Art print',
    sku: 'WB-PRINT',
    isbn: null,
    price: '18.00',
    weight: 4,
  },
];

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The editions as a VALUES list: (n, title, format, variant, sku, isbn, price, weight, upto) with cumulative weights. */
function editionsValues(): string {
  let upto = 0;
  return DEMO_EDITIONS.map((e, n) => {
    upto += e.weight;
    return `(${n}, ${quote(e.title)}, ${quote(e.format)}, ${quote(e.variant)}, ${quote(e.sku)}, ${e.isbn ? quote(e.isbn) : 'NULL'}, ${e.price}::numeric, ${upto})`;
  }).join(',\n    ');
}

const TOTAL_WEIGHT = DEMO_EDITIONS.reduce((sum, e) => sum + e.weight, 0);

/** Where each edition's share of [0, TOTAL_WEIGHT) starts, for width_bucket: edition n is bucket n + 1. */
const LOWER_BOUNDS = `ARRAY[${DEMO_EDITIONS.map((_, n) => DEMO_EDITIONS.slice(0, n).reduce((sum, e) => sum + e.weight, 0)).join(', ')}]::float8[]`;

/**
 * The catalogue itself, before any line: titles with their names, editions with their ISBNs and SKUs
 * (what a shop's lines and Spotify's rows will be matched by). Titles that exist already are kept.
 */
export const DEMO_CATALOGUE_SQL = `
  WITH e (n, title, format, variant, sku, isbn, price, upto) AS (VALUES
    ${editionsValues()}),
  new_titles AS (
    INSERT INTO titles (name)
    SELECT DISTINCT title FROM e WHERE NOT EXISTS (SELECT 1 FROM title_names n WHERE n.key = title_key(e.title))
    RETURNING id, name
  ),
  named AS (
    INSERT INTO title_names (key, title_id) SELECT title_key(name), id FROM new_titles RETURNING key, title_id
  ),
  new_editions AS (
    INSERT INTO editions (title_id, format)
    SELECT n.title_id, e.format FROM e JOIN named n ON n.key = title_key(e.title) ORDER BY e.n
    RETURNING id, title_id, format
  )
  INSERT INTO edition_identifiers (kind, platform, value, edition_id)
  SELECT k.kind, '', k.value, ne.id
  FROM e JOIN named n ON n.key = title_key(e.title) JOIN new_editions ne ON ne.title_id = n.title_id AND ne.format = e.format
  CROSS JOIN LATERAL (VALUES ('sku', e.sku), ('isbn', e.isbn)) AS k (kind, value)
  WHERE k.value IS NOT NULL
  ON CONFLICT DO NOTHING`;

/**
 * One to four lines per order (2.5 on average), editions drawn by weight; quantities mostly 1. The lines
 * share the order's total less shipping (4.95 on orders over about $40) pro rata to their list prices, so
 * their totals are believable discounted prices and the order's remainder is its shipping.
 * $1 is the first order id to give lines to (orders of this seed only).
 */
export function demoLinesSql(
  random: (expr: string, salt: number) => string,
  toBase: (amount: string, currency: string, at: string) => string,
): string {
  return `
  WITH e (n, title, format, variant, sku, isbn, price, upto) AS (VALUES
    ${editionsValues()}),
  picked AS (
    SELECT o.id AS order_id, k AS position, o.total, o.platform, o.currency, o.created_at,
      width_bucket(${random('o.id * 8 + k', 21)} * ${TOTAL_WEIGHT}, ${LOWER_BOUNDS}) - 1 AS n,
      CASE WHEN ${random('o.id * 8 + k', 22)} < 0.85 THEN 1 WHEN ${random('o.id * 8 + k', 22)} < 0.97 THEN 2 ELSE 3 END AS quantity
    FROM orders o
    CROSS JOIN LATERAL generate_series(1, 1 + floor(${random('o.id', 20)} * 4)::int) AS k
    WHERE o.id >= $1::bigint
  ),
  weighted AS (
    SELECT p.*, e.title, e.variant, e.sku, e.isbn, e.price * p.quantity AS list,
      sum(e.price * p.quantity) OVER (PARTITION BY p.order_id) AS list_total,
      greatest(p.total - CASE WHEN p.total > 40 THEN 4.95 ELSE 0 END, 0) AS net
    FROM picked p JOIN e ON e.n = p.n
  ),
  inserted AS (
    INSERT INTO order_lines (order_id, position, external_id, title, variant, sku, gtin, product_id, quantity, unit_price,
                             line_total, base_line_total, base_refunded_amount)
    SELECT w.order_id, w.position, (w.order_id * 8 + w.position)::text,
      CASE w.platform WHEN 'etsy' THEN w.title || ' - ' || w.variant ELSE w.title END,
      w.variant, w.sku, w.isbn, 'demo-' || w.sku, w.quantity,
      round(round(w.net * w.list / w.list_total, 2) / w.quantity, 2), s.line_total,
      ${toBase('s.line_total', 'w.currency', 'w.created_at')}, ${toBase('0.00', 'w.currency', 'w.created_at')}
    FROM weighted w CROSS JOIN LATERAL (SELECT round(w.net * w.list / w.list_total, 2) AS line_total) s
    ORDER BY w.order_id, w.position
    RETURNING 1
  )
  SELECT count(*) AS n FROM inserted`;
}
