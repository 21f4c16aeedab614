import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order ingestion: webhook deliveries already handled (Shopify re-sends the same `X-Shopify-Webhook-Id`
 * on retries and sometimes without one), and the sync state of every order source (webhooks, pollers,
 * imports) for `GET /api/sources`.
 */
export class OrderIngestion1795723321755 implements MigrationInterface {
  name = 'OrderIngestion1795723321755';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_deliveries (
        platform text NOT NULL,
        delivery_id text NOT NULL,
        store text NOT NULL DEFAULT '',
        topic text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, delivery_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at)`);
    await q.query(`
      CREATE TABLE sources (
        name text PRIMARY KEY,
        platform text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('webhook', 'poller', 'import')),
        enabled boolean NOT NULL DEFAULT true,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        cursor text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sources`);
    await q.query(`DROP TABLE webhook_deliveries`);
  }
}
