import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PushPreferences } from '@mt/contracts';
import { DataSource } from 'typeorm';

/** A stored device, as the push module works with it. */
export interface SubscriptionRow {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  preferences: PushPreferences;
  createdAt: Date;
}

/** Where an order fold stands after adding orders to it. */
export interface FoldState {
  orders: number;
  /** Decimal string; null when the fold holds orders in more than one currency. */
  total: string | null;
  currency: string | null;
}

interface RawRow {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  every_order: boolean;
  orders_over: string | null;
  alerts: boolean;
  daily_digest: boolean;
  quiet_from: string | null;
  quiet_to: string | null;
  quiet_zone: string | null;
  hide_amounts: boolean;
  created_at: Date;
}

const COLUMNS = `id::text AS id, user_id::text AS user_id, endpoint, p256dh, auth, every_order, orders_over::text AS orders_over,
  alerts, daily_digest, to_char(quiet_from, 'HH24:MI') AS quiet_from, to_char(quiet_to, 'HH24:MI') AS quiet_to,
  quiet_zone, hide_amounts, created_at`;

/** The orders of one minute fold into one notification per device (SPEC §6). */
export const FOLD_WINDOW_SECONDS = 60;

/** `push_subscriptions`: the devices, what rings on each, and each device's current order fold. */
@Injectable()
export class PushRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The device for `userId`: a new row, or the endpoint's row taken over with its new keys. A device
   * has one endpoint whoever signs in on it; the last one who turned notifications on owns it.
   */
  async upsert(
    userId: string,
    endpoint: string,
    keys: { p256dh: string; auth: string },
    preferences: PushPreferences,
  ): Promise<SubscriptionRow> {
    const rows: RawRow[] = await this.dataSource.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, every_order, orders_over, alerts, daily_digest,
                                       quiet_from, quiet_to, quiet_zone, hide_amounts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (endpoint) DO UPDATE SET
         user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         every_order = excluded.every_order, orders_over = excluded.orders_over, alerts = excluded.alerts,
         daily_digest = excluded.daily_digest, quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to,
         quiet_zone = excluded.quiet_zone, hide_amounts = excluded.hide_amounts,
         fold_started_at = NULL, fold_orders = 0, fold_currency = NULL, fold_total = NULL, updated_at = now()
       RETURNING ${COLUMNS}`,
      [userId, endpoint, keys.p256dh, keys.auth, ...preferenceValues(preferences)],
    );
    return mapRow(rows[0]!);
  }

  async byEndpoint(endpoint: string): Promise<SubscriptionRow | null> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM push_subscriptions WHERE endpoint = $1`,
      [endpoint],
    );
    return rows[0] ? mapRow(rows[0]) : null;
  }

  /** Null when there is no such row, or it is another user's. */
  async owned(id: string, userId: string): Promise<SubscriptionRow | null> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM push_subscriptions WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return rows[0] ? mapRow(rows[0]) : null;
  }

  async listOwned(userId: string): Promise<SubscriptionRow[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM push_subscriptions WHERE user_id = $1 ORDER BY id`,
      [userId],
    );
    return rows.map(mapRow);
  }

  async updatePreferences(id: string, userId: string, preferences: PushPreferences): Promise<SubscriptionRow | null> {
    const rows: RawRow[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE push_subscriptions SET every_order = $3, orders_over = $4, alerts = $5, daily_digest = $6,
                quiet_from = $7, quiet_to = $8, quiet_zone = $9, hide_amounts = $10, updated_at = now()
         WHERE id = $1 AND user_id = $2
         RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [id, userId, ...preferenceValues(preferences)],
    );
    return rows[0] ? mapRow(rows[0]) : null;
  }

  async deleteOwned(id: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2 RETURNING id) SELECT id FROM gone`,
      [id, userId],
    );
    return rows.length > 0;
  }

  /** The push service said the subscription is gone (404/410). */
  async forget(endpoint: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM push_subscriptions WHERE endpoint = $1`, [endpoint]);
  }

  /** Devices on which some new order may ring. */
  async forOrders(): Promise<SubscriptionRow[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM push_subscriptions WHERE every_order OR orders_over IS NOT NULL ORDER BY id`,
    );
    return rows.map(mapRow);
  }

  /** Devices that chose fired alerts (`digest` false) or the daily digest (`digest` true). */
  async forAlerts(digest: boolean): Promise<SubscriptionRow[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM push_subscriptions WHERE CASE WHEN $1 THEN daily_digest ELSE alerts END ORDER BY id`,
      [digest],
    );
    return rows.map(mapRow);
  }

  /**
   * Adds `orders` orders worth `total` in `currency` (null: in several) to the device's fold at `at`:
   * they join the fold begun less than FOLD_WINDOW_SECONDS before, or begin a new one. One statement, so that instances
   * announcing orders at once each see the other's.
   */
  async fold(id: string, at: Date, orders: number, total: string, currency: string | null): Promise<FoldState | null> {
    const rows: Array<{ orders: number; total: string | null; currency: string | null }> = await this.dataSource.query(
      `WITH folded AS (
       UPDATE push_subscriptions p SET
         fold_orders = CASE WHEN f.open THEN p.fold_orders + $3 ELSE $3 END,
         fold_total = CASE WHEN $5::text IS NULL THEN NULL WHEN NOT f.open THEN $4::numeric
                           WHEN p.fold_currency = $5 THEN p.fold_total + $4::numeric END,
         fold_currency = CASE WHEN NOT f.open THEN $5 WHEN p.fold_currency = $5 THEN $5 END,
         fold_started_at = CASE WHEN f.open THEN p.fold_started_at ELSE $2 END
       FROM (SELECT id, coalesce(fold_started_at > $2::timestamptz - make_interval(secs => $6), false) AS open
             FROM push_subscriptions WHERE id = $1) f
       WHERE p.id = f.id
       RETURNING p.fold_orders AS orders, p.fold_total::text AS total, p.fold_currency AS currency)
       SELECT * FROM folded`,
      [id, at, orders, total, currency, FOLD_WINDOW_SECONDS],
    );
    return rows[0] ?? null;
  }
}

function preferenceValues(p: PushPreferences): unknown[] {
  return [
    p.everyOrder,
    p.ordersOver === null ? null : p.ordersOver.toFixed(2),
    p.alerts,
    p.dailyDigest,
    p.quietHours?.from ?? null,
    p.quietHours?.to ?? null,
    p.quietHours?.timeZone ?? null,
    p.hideAmounts,
  ];
}

function mapRow(row: RawRow): SubscriptionRow {
  return {
    id: row.id,
    userId: row.user_id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    createdAt: row.created_at,
    preferences: {
      everyOrder: row.every_order,
      ordersOver: row.orders_over === null ? null : Number(row.orders_over),
      alerts: row.alerts,
      dailyDigest: row.daily_digest,
      quietHours:
        row.quiet_from && row.quiet_to && row.quiet_zone
          ? { from: row.quiet_from, to: row.quiet_to, timeZone: row.quiet_zone }
          : null,
      hideAmounts: row.hide_amounts,
    },
  };
}
