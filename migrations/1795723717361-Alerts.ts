import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules and the alerts they fired. `alert_events (rule_id, period_key)` is unique: the row is the
 * claim that a rule fired for a period, so two API instances (or a retried run) can never send the same
 * alert twice, even if the advisory lock that keeps them from evaluating at the same time were lost.
 */
export class Alerts1795723717361 implements MigrationInterface {
  name = 'Alerts1795723717361';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rules (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('day_revenue', 'week_orders', 'best_day', 'silence', 'daily_digest')),
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        threshold numeric(14, 2) CHECK (threshold > 0),
        hours integer CHECK (hours BETWEEN 1 AND 168),
        active_from time,
        active_to time,
        send_at time,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT alert_rules_fields CHECK (
          CASE kind
            WHEN 'day_revenue' THEN threshold IS NOT NULL
            WHEN 'week_orders' THEN threshold IS NOT NULL AND threshold = trunc(threshold)
            WHEN 'silence' THEN hours IS NOT NULL AND active_from IS NOT NULL AND active_to IS NOT NULL
            WHEN 'daily_digest' THEN send_at IS NOT NULL
            ELSE true
          END)
      )`);
    await q.query(`
      CREATE TABLE alert_events (
        id bigserial PRIMARY KEY,
        rule_id bigint NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        period_key text NOT NULL,
        fired_at timestamptz NOT NULL DEFAULT now(),
        subject text NOT NULL,
        body text NOT NULL,
        delivery text NOT NULL DEFAULT 'pending' CHECK (delivery IN ('pending', 'sent', 'failed', 'not_configured')),
        delivery_error text,
        attempts integer NOT NULL DEFAULT 0,
        sent_at timestamptz,
        CONSTRAINT alert_events_once_per_period UNIQUE (rule_id, period_key)
      )`);
    await q.query(`CREATE INDEX alert_events_fired_at ON alert_events (fired_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_events`);
    await q.query(`DROP TABLE alert_rules`);
  }
}
