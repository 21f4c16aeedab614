import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web Push (SPEC §6): one row per device a user turned notifications on for. The endpoint is the
 * device's (a push service URL, unique); `p256dh` and `auth` are its keys for encrypting payloads. What
 * rings is per device; quiet hours are on the device's own clock. The `fold_*` columns hold the orders
 * announced to the device in the current minute, so that several orders become one notification
 * whichever instance stored them.
 */
export class PushSubscriptions1799820000000 implements MigrationInterface {
  name = 'PushSubscriptions1799820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE push_subscriptions (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        endpoint text NOT NULL UNIQUE,
        p256dh text NOT NULL,
        auth text NOT NULL,
        every_order boolean NOT NULL DEFAULT true,
        orders_over numeric(14, 2) CHECK (orders_over > 0),
        alerts boolean NOT NULL DEFAULT true,
        daily_digest boolean NOT NULL DEFAULT false,
        quiet_from time,
        quiet_to time,
        quiet_zone text,
        hide_amounts boolean NOT NULL DEFAULT false,
        fold_started_at timestamptz,
        fold_orders integer NOT NULL DEFAULT 0,
        fold_currency text,
        fold_total numeric(16, 2),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT push_subscriptions_quiet_hours CHECK (
          (quiet_from IS NULL AND quiet_to IS NULL AND quiet_zone IS NULL)
          OR (quiet_from IS NOT NULL AND quiet_to IS NOT NULL AND quiet_zone IS NOT NULL AND quiet_from <> quiet_to))
      )`);
    await q.query(`CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE push_subscriptions`);
  }
}
