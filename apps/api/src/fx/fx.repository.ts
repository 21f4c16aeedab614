import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnalyticsWarning, FxRate, FxRateSource } from '@mt/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { RatePair, rateDaySql } from './fx-conversion';
import { RateInput } from './rate-files';

/** Who added rates, from where. */
export interface RateProvenance {
  source: FxRateSource;
  /** File name or URL. */
  origin: string | null;
  userId: string | null;
}

export interface StoredRates {
  inserted: number;
  updated: number;
  /** (currency, day) of every rate added or changed: what conversion must look at. */
  changed: RatePair[];
}

export interface FetchStateRow {
  url: string;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  history_from: string | null;
}

export interface CurrencyRow {
  currency: string;
  waiting_orders: number;
  waiting_refunds: number;
  last_day: string | null;
  last_source: FxRateSource | null;
}

export interface WaitingRow {
  code: AnalyticsWarning['code'];
  currency: string;
  day: string;
  n: number;
}

/** The business zone the stored base amounts were converted in (settings key). */
const RATE_ZONE_KEY = 'fx.rateZone';

/**
 * Owns `fx_rates` and `fx_fetch_state`. Rates are upserted: a changed value replaces the old one (and is
 * reported as changed so that conversion follows); the same value again changes nothing. A rate a
 * person added (file, API) is never replaced by the ECB fetch.
 */
@Injectable()
export class FxRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: Pick<AppConfig, 'baseCurrency' | 'businessTimezone'>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Stores base rates as given, or ECB quotes (per 1 EUR) as cross rates through EUR into the base
   * currency, computed in `numeric`: 1 X = rate(base) / rate(X) units of the base currency; 1 EUR =
   * rate(base). A day whose ECB quotes lack the base currency gives no rates.
   */
  async storeRates(manager: EntityManager, input: RateInput, provenance: RateProvenance): Promise<StoredRates> {
    const base = this.config.baseCurrency;
    const rows = input.kind === 'base' ? input.rates : input.quotes;
    if (!rows.length) return { inserted: 0, updated: 0, changed: [] };
    const given =
      input.kind === 'base'
        ? `SELECT DISTINCT ON (day, currency) day, currency, value AS rate FROM given ORDER BY day, currency`
        : `SELECT x.day, x.currency, b.value / x.value AS rate
           FROM quotes x JOIN quotes b ON b.day = x.day AND b.currency = $4::text
           WHERE x.currency <> $4::text`;
    const result: Array<{ day: string; currency: string; inserted: boolean }> = await manager.query(
      `WITH given AS (SELECT * FROM unnest($1::date[], $2::text[], $3::numeric[]) AS g (day, currency, value)),
       ecb AS (SELECT DISTINCT ON (day, currency) day, currency, value FROM given WHERE currency <> 'EUR' ORDER BY day, currency),
       quotes AS (SELECT * FROM ecb UNION ALL SELECT DISTINCT day, 'EUR', 1::numeric FROM ecb),
       input AS (${given}),
       upsert AS (
         INSERT INTO fx_rates AS f (day, currency, base_currency, rate, source, origin, added_at, added_by)
         SELECT day, currency, $4::text, rate, $5::text, $6::text, now(), $7::bigint FROM input
         ON CONFLICT (currency, base_currency, day) DO UPDATE
           SET rate = EXCLUDED.rate, source = EXCLUDED.source, origin = EXCLUDED.origin,
               added_at = EXCLUDED.added_at, added_by = EXCLUDED.added_by
           WHERE f.rate IS DISTINCT FROM EXCLUDED.rate AND NOT (EXCLUDED.source = 'ecb' AND f.source IN ('file', 'api'))
         RETURNING day, currency, xmax = 0 AS inserted
       )
       SELECT to_char(day, 'YYYY-MM-DD') AS day, trim(currency) AS currency, inserted FROM upsert`,
      [
        rows.map((row) => row.day),
        rows.map((row) => row.currency),
        rows.map((row) => ('rate' in row ? row.rate : row.perEur)),
        base,
        provenance.source,
        provenance.origin,
        provenance.userId,
      ],
    );
    const inserted = result.filter((row) => row.inserted).length;
    return {
      inserted,
      updated: result.length - inserted,
      changed: result.map((row) => ({ currency: row.currency, day: row.day })),
    };
  }

  async rates(query: { currency?: string; from?: string; to?: string; limit: number }): Promise<FxRate[]> {
    const rows: Array<{
      day: string;
      currency: string;
      rate: string;
      source: FxRateSource;
      origin: string | null;
      added_at: Date;
    }> = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, trim(currency) AS currency, rate::text AS rate, source, origin, added_at
       FROM fx_rates
       WHERE base_currency = $1 AND ($2::text IS NULL OR currency = CAST($2::text AS char(3)))
         AND ($3::date IS NULL OR day >= $3::date) AND ($4::date IS NULL OR day <= $4::date)
       ORDER BY day DESC, currency LIMIT $5`,
      [this.config.baseCurrency, query.currency ?? null, query.from ?? null, query.to ?? null, query.limit],
    );
    return rows.map((row) => ({
      date: row.day,
      currency: row.currency,
      rate: trimZeros(row.rate),
      source: row.source,
      origin: row.origin,
      addedAt: row.added_at.toISOString(),
    }));
  }

  /** Every currency orders were placed in (but the base), its newest rate and what still waits for one. */
  async currencies(): Promise<CurrencyRow[]> {
    return this.dataSource.query(
      `WITH used AS (
         SELECT currency, count(*) FILTER (WHERE counted AND base_total IS NULL)::int AS waiting_orders
         FROM orders WHERE currency <> CAST($1::text AS char(3)) GROUP BY currency
       ), refunds_waiting AS (
         SELECT o.currency, count(*)::int AS n FROM refunds r JOIN orders o ON o.id = r.order_id
         WHERE r.base_amount IS NULL AND o.counted AND o.base_total IS NOT NULL GROUP BY o.currency
       )
       SELECT trim(u.currency) AS currency, u.waiting_orders, coalesce(rw.n, 0) AS waiting_refunds,
              last.day AS last_day, last.source AS last_source
       FROM used u
       LEFT JOIN refunds_waiting rw ON rw.currency = u.currency
       LEFT JOIN LATERAL (
         SELECT to_char(f.day, 'YYYY-MM-DD') AS day, f.source FROM fx_rates f
         WHERE f.currency = u.currency AND f.base_currency = CAST($1::text AS char(3)) ORDER BY f.day DESC LIMIT 1
       ) last ON true
       ORDER BY u.currency`,
      [this.config.baseCurrency],
    );
  }

  /** Counted orders and refunds of all time still without a base amount, by currency and business day. */
  async waiting(): Promise<WaitingRow[]> {
    return this.dataSource.query(
      `SELECT 'unconverted_orders' AS code, trim(o.currency) AS currency,
              to_char(${rateDaySql('o.created_at', '$1')}, 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM orders o WHERE o.counted AND o.base_total IS NULL GROUP BY 2, 3
       UNION ALL
       SELECT 'unconverted_refunds', trim(o.currency), to_char(${rateDaySql('r.refunded_at', '$1')}, 'YYYY-MM-DD'), count(*)::int
       FROM refunds r JOIN orders o ON o.id = r.order_id
       WHERE r.base_amount IS NULL AND o.counted AND o.base_total IS NOT NULL GROUP BY 2, 3`,
      [this.config.businessTimezone],
    );
  }

  /** The earliest order in a currency other than the base one: how much ECB history is worth fetching. */
  async oldestForeignOrder(): Promise<Date | null> {
    const [row]: Array<{ at: Date | null }> = await this.dataSource.query(
      `SELECT min(created_at) AS at FROM orders WHERE currency <> CAST($1::text AS char(3))`,
      [this.config.baseCurrency],
    );
    return row?.at ?? null;
  }

  async fetchState(): Promise<FetchStateRow | null> {
    const [row]: FetchStateRow[] = await this.dataSource.query(
      `SELECT url, last_attempt_at, last_success_at, last_error, last_error_at, to_char(history_from, 'YYYY-MM-DD') AS history_from
       FROM fx_fetch_state WHERE source = 'ecb'`,
    );
    return row ?? null;
  }

  /** One fetch's outcome: a success inside the transaction that stored its rates, a failure on its own. */
  async recordFetch(
    manager: EntityManager | null,
    outcome: { url: string; error: string | null; historyFrom?: string | null },
  ): Promise<void> {
    await (manager ?? this.dataSource).query(
      `INSERT INTO fx_fetch_state AS s (source, url, last_attempt_at, last_success_at, last_error, last_error_at, history_from)
       VALUES ('ecb', $1, now(), CASE WHEN $2::text IS NULL THEN now() END, $2::text,
               CASE WHEN $2::text IS NOT NULL THEN now() END, $3::date)
       ON CONFLICT (source) DO UPDATE SET
         url = EXCLUDED.url, last_attempt_at = now(),
         last_success_at = coalesce(EXCLUDED.last_success_at, s.last_success_at),
         last_error = EXCLUDED.last_error,
         last_error_at = coalesce(EXCLUDED.last_error_at, s.last_error_at),
         history_from = least(s.history_from, EXCLUDED.history_from)`,
      [outcome.url, outcome.error, outcome.historyFrom ?? null],
    );
  }

  /**
   * The zone stored base amounts were converted in, read under a transaction lock so that instances
   * starting together recompute once.
   */
  async lockRateZone(manager: EntityManager): Promise<string | null> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [RATE_ZONE_KEY]);
    const [row]: Array<{ zone: string }> = await manager.query(
      `SELECT value #>> '{}' AS zone FROM settings WHERE key = $1`,
      [RATE_ZONE_KEY],
    );
    return row?.zone ?? null;
  }

  async storeRateZone(manager: EntityManager, zone: string): Promise<void> {
    await manager.query(
      `INSERT INTO settings (key, value) VALUES ($1, to_jsonb($2::text))
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [RATE_ZONE_KEY, zone],
    );
  }
}

/** `1.10000000000000` → `1.1`: the stored scale, not the rate's precision. */
function trimZeros(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
