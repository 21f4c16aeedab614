import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations';
import { createTestDatabase, TestDatabase } from '../../test/test-database';

/**
 * The migration OrderIdentity on a database that holds the duplicates the old key (platform, store, id)
 * let in: an Etsy Sold Orders import under a blank store and the poller's copy under the shop id, a
 * Shopify order under two shop names, and a WooCommerce id on two sites (which are two orders).
 */
describe('migration OrderIdentity on a database with duplicates', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const position = migrations.findIndex((migration) => migration.name === 'OrderIdentity1799500000000');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    // Undo every migration from OrderIdentity on (later ones first), so that its `up` runs on the old key.
    expect(position).toBeGreaterThan(0);
    for (let i = position; i < migrations.length; i++) await ds.undoLastMigration();
  });
  afterAll(() => db.drop());

  const insertOrder = async (values: {
    platform: string;
    store: string;
    externalId: string;
    total: string;
    platformUpdatedAt: string | null;
    updatedAt: string;
    status?: string;
  }): Promise<string> => {
    const [row]: Array<{ id: string }> = await ds.query(
      `INSERT INTO orders (platform, store, external_id, order_number, created_at, currency, total, base_total, country, status,
                           platform_updated_at, updated_at, raw)
       VALUES ($1, $2, $3, $3, '2025-05-14T10:00:00Z', 'USD', $4, $4, 'GB', $5, $6, $7, '{}') RETURNING id::text`,
      [
        values.platform,
        values.store,
        values.externalId,
        values.total,
        values.status ?? 'paid',
        values.platformUpdatedAt,
        values.updatedAt,
      ],
    );
    return row!.id;
  };
  const refund = (orderId: string, externalId: string, amount: string, at: string) =>
    ds.query(
      `INSERT INTO refunds (order_id, external_id, refunded_at, amount, base_amount) VALUES ($1, $2, $3, $4, $4)`,
      [orderId, externalId, at, amount],
    );
  const line = (orderId: string, position: number, title: string) =>
    ds.query(
      `INSERT INTO order_lines (order_id, position, title, quantity, unit_price, line_total) VALUES ($1, $2, $3, 1, 10, 10)`,
      [orderId, position, title],
    );

  it('keeps the newest copy of each order, unites refunds and lines, counts each once, and records every merge', async () => {
    // Etsy: the Sold Orders import (no update time, the export's cumulative refund, lines from the items
    // file), then the poller under the shop id (newer, a real refund, no lines).
    const etsyCsv = await insertOrder({
      platform: 'etsy',
      store: '',
      externalId: '3456789012',
      total: '34.50',
      platformUpdatedAt: null,
      updatedAt: '2025-06-01T00:00:00Z',
    });
    await refund(etsyCsv, 'export:cumulative', '4.50', '2025-05-14T10:00:00Z');
    await line(etsyCsv, 1, 'The Salt Road');
    await line(etsyCsv, 2, 'Tidewater: Poems');
    await ds.query(`UPDATE orders SET lines_digest = 'csv-digest' WHERE id = $1`, [etsyCsv]);
    const etsyApi = await insertOrder({
      platform: 'etsy',
      store: '777',
      externalId: '3456789012',
      total: '34.50',
      platformUpdatedAt: '2025-05-16T10:00:00Z',
      updatedAt: '2025-05-17T00:00:00Z',
    });
    await refund(etsyApi, '1747400000:4.50', '4.50', '2025-05-16T12:53:20Z');
    // Shopify #1047 under a blank store (an export) and under its shop (the webhook, newest), each with a
    // refund the other lacks and one they share.
    const shopifyCsv = await insertOrder({
      platform: 'shopify',
      store: '',
      externalId: '6231859937601',
      total: '86.00',
      platformUpdatedAt: '2025-05-14T13:12:44Z',
      updatedAt: '2025-06-01T00:00:00Z',
    });
    await refund(shopifyCsv, '555', '12.50', '2025-05-15T12:00:00Z');
    await refund(shopifyCsv, '556', '1.00', '2025-05-15T13:00:00Z');
    const shopifyHook = await insertOrder({
      platform: 'shopify',
      store: 'harbour-quill.myshopify.com',
      externalId: '6231859937601',
      total: '86.00',
      platformUpdatedAt: '2025-05-20T14:00:00Z',
      updatedAt: '2025-05-20T14:00:01Z',
      status: 'partially_refunded',
    });
    await refund(shopifyHook, '555', '12.50', '2025-05-15T12:00:00Z');
    await refund(shopifyHook, '912', '20.00', '2025-05-20T13:59:00Z');
    await line(shopifyHook, 1, 'The Salt Road (Hardcover)');
    // WooCommerce ids are per site: the same id on two sites is two orders.
    await insertOrder({
      platform: 'woocommerce',
      store: 'https://books.example',
      externalId: '2381',
      total: '42.43',
      platformUpdatedAt: null,
      updatedAt: '2025-05-17T00:00:00Z',
    });
    await insertOrder({
      platform: 'woocommerce',
      store: 'https://audio.example',
      externalId: '2381',
      total: '19.90',
      platformUpdatedAt: null,
      updatedAt: '2025-05-17T00:00:00Z',
    });
    // Stored before the counted-statuses setting: WooCommerce's pending and on-hold were both `pending`.
    await ds.query(
      `INSERT INTO orders (platform, store, external_id, created_at, currency, total, base_total, status, raw)
       VALUES ('woocommerce', 'https://books.example', '2390', '2025-05-18T08:00:00Z', 'USD', 10, 10, 'pending', '{"status":"pending"}'),
              ('woocommerce', 'https://books.example', '2391', '2025-05-18T09:00:00Z', 'USD', 5, 5, 'pending',
               '{"source":"export","first":{"status":"wc-on-hold"}}')`,
    );
    const before: Array<{ n: number; sales: string; refunds: string }> = await ds.query(
      `SELECT count(*)::int AS n, sum(base_total)::text AS sales,
              (SELECT sum(base_amount)::text FROM refunds) AS refunds FROM orders WHERE counted`,
    );
    expect(before).toEqual([{ n: 8, sales: '318.33', refunds: '55.00' }]);
    await ds.query(`DELETE FROM order_hourly_dirty`);

    const applied = await ds.runMigrations();

    expect(applied.map((m) => m.name)).toEqual(migrations.slice(position).map((migration) => migration.name));
    expect(applied[0].name).toBe('OrderIdentity1799500000000');
    const orders = await ds.query(
      `SELECT id::text, platform, store, identity_store, external_id, status, lines_digest, counted FROM orders
       WHERE external_id NOT IN ('2390', '2391') ORDER BY platform, store`,
    );
    expect(orders).toEqual([
      {
        id: etsyApi,
        platform: 'etsy',
        store: '777',
        identity_store: '',
        external_id: '3456789012',
        status: 'paid',
        lines_digest: 'csv-digest',
        counted: true,
      },
      {
        id: shopifyHook,
        platform: 'shopify',
        store: 'harbour-quill.myshopify.com',
        identity_store: '',
        external_id: '6231859937601',
        status: 'partially_refunded',
        lines_digest: null,
        counted: true,
      },
      expect.objectContaining({
        platform: 'woocommerce',
        store: 'https://audio.example',
        identity_store: 'https://audio.example',
      }),
      expect.objectContaining({
        platform: 'woocommerce',
        store: 'https://books.example',
        identity_store: 'https://books.example',
      }),
    ]);
    // WooCommerce's own status decides now: pending does not count by default, on-hold does.
    expect(
      await ds.query(
        `SELECT external_id, platform_status, counted FROM orders WHERE external_id IN ('2390', '2391') ORDER BY 1`,
      ),
    ).toEqual([
      { external_id: '2390', platform_status: 'pending', counted: false },
      { external_id: '2391', platform_status: 'on-hold', counted: true },
    ]);
    // The export's stand-in gave way to the poller's real refund; Shopify's refunds are united by id.
    expect(
      await ds.query(
        `SELECT o.platform, r.external_id, r.amount::text FROM refunds r JOIN orders o ON o.id = r.order_id ORDER BY 1, 2`,
      ),
    ).toEqual([
      { platform: 'etsy', external_id: '1747400000:4.50', amount: '4.50' },
      { platform: 'shopify', external_id: '555', amount: '12.50' },
      { platform: 'shopify', external_id: '556', amount: '1.00' },
      { platform: 'shopify', external_id: '912', amount: '20.00' },
    ]);
    // The kept Etsy row had no lines: it took the import's; the Shopify one kept its own.
    expect(
      await ds.query(`SELECT order_id::text, position, title FROM order_lines ORDER BY order_id, position`),
    ).toEqual([
      { order_id: etsyApi, position: 1, title: 'The Salt Road' },
      { order_id: etsyApi, position: 2, title: 'Tidewater: Poems' },
      { order_id: shopifyHook, position: 1, title: 'The Salt Road (Hardcover)' },
    ]);
    const after: Array<{ n: number; sales: string; refunds: string }> = await ds.query(
      `SELECT count(*)::int AS n, sum(base_total)::text AS sales,
              (SELECT sum(base_amount)::text FROM refunds) AS refunds FROM orders WHERE counted`,
    );
    expect(after).toEqual([{ n: 5, sales: '187.83', refunds: '38.00' }]);
    // The hours the removed copies and their refunds counted in are to be recounted by the rollups.
    const dirty: Array<{ hour: Date }> = await ds.query(`SELECT DISTINCT hour FROM order_hourly_dirty ORDER BY hour`);
    expect(dirty.map((d) => d.hour.toISOString())).toEqual(
      expect.arrayContaining(['2025-05-14T10:00:00.000Z', '2025-05-15T13:00:00.000Z', '2025-05-18T08:00:00.000Z']),
    );

    const audit = await ds.query(
      `SELECT action, platform, store, external_id, order_id::text, detail, done_by FROM order_audit ORDER BY platform`,
    );
    expect(audit).toEqual([
      {
        action: 'merged',
        platform: 'etsy',
        store: '777',
        external_id: '3456789012',
        order_id: etsyApi,
        detail: {
          kept: { id: Number(etsyApi), store: '777', platformUpdatedAt: '2025-05-16T10:00:00+00:00' },
          removed: [
            {
              id: Number(etsyCsv),
              store: '',
              total: 34.5,
              currency: 'USD',
              platformUpdatedAt: null,
              refunds: 1,
            },
          ],
          refunds: [{ externalId: '1747400000:4.50', amount: 4.5 }],
        },
        done_by: 'migration OrderIdentity1799500000000',
      },
      {
        action: 'merged',
        platform: 'shopify',
        store: 'harbour-quill.myshopify.com',
        external_id: '6231859937601',
        order_id: shopifyHook,
        detail: {
          kept: {
            id: Number(shopifyHook),
            store: 'harbour-quill.myshopify.com',
            platformUpdatedAt: '2025-05-20T14:00:00+00:00',
          },
          removed: [
            {
              id: Number(shopifyCsv),
              store: '',
              total: 86,
              currency: 'USD',
              platformUpdatedAt: '2025-05-14T13:12:44+00:00',
              refunds: 2,
            },
          ],
          refunds: [
            { externalId: '555', amount: 12.5 },
            { externalId: '556', amount: 1 },
            { externalId: '912', amount: 20 },
          ],
        },
        done_by: 'migration OrderIdentity1799500000000',
      },
    ]);
  });

  it('refuses a second copy under another store once applied, except for WooCommerce', async () => {
    await expect(
      ds.query(
        `INSERT INTO orders (platform, store, external_id, created_at, currency, total, status)
         VALUES ('etsy', 'another-shop', '3456789012', now(), 'USD', 1, 'paid')`,
      ),
    ).rejects.toThrow(/orders_natural_key/);
    await ds.query(
      `INSERT INTO orders (platform, store, external_id, created_at, currency, total, status)
       VALUES ('woocommerce', 'https://third.example', '2381', now(), 'USD', 1, 'paid')`,
    );
  });
});
