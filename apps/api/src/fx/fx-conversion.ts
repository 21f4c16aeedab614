/**
 * The one rule that turns an amount into the base currency (SPEC §2), as SQL fragments: every statement
 * that stores or recomputes a base amount (orders and refunds on arrival, conversion when a rate
 * arrives, a changed business zone, the demo seed) imports these, so the rule is never spelled twice.
 *
 * Placeholders: by default `$1` holds the base currency and `$2` the business zone, as in the orders
 * repository's statements; a statement with other parameters names its own.
 */

/** A day without a rate takes the latest earlier one within this many days (weekends, TARGET holidays). */
export const RATE_FALLBACK_DAYS = 7;

export interface ConversionParams {
  /** SQL of the base currency, e.g. `$1`. */
  base: string;
  /** SQL of the IANA business zone, e.g. `$2`. */
  zone: string;
}

const DEFAULT_PARAMS: ConversionParams = { base: '$1', zone: '$2' };

/** The business day whose rate converts an amount dated `at`: its local date in the business zone. */
export function rateDaySql(at: string, zone = DEFAULT_PARAMS.zone): string {
  return `(${at}::timestamptz AT TIME ZONE ${zone}::text)::date`;
}

/**
 * The amount itself when it is in the base currency (the platform's own shop amount); else times the
 * rate of its business day, or of the latest earlier day within RATE_FALLBACK_DAYS, rounded to cents;
 * else NULL (stored, left out of sums, reported as a warning, converted when a rate arrives).
 */
export function toBaseSql(
  amount: string,
  currency: string,
  at: string,
  params: ConversionParams = DEFAULT_PARAMS,
): string {
  // Every parameter is cast the same way wherever it appears: PostgreSQL rejects a parameter deduced as two types.
  const day = rateDaySql(at, params.zone);
  return `(CASE WHEN ${currency}::text = ${params.base}::text THEN ${amount}::numeric
    ELSE round(${amount}::numeric * (SELECT fx.rate FROM fx_rates fx
      WHERE fx.currency = CAST(${currency}::text AS char(3)) AND fx.base_currency = CAST(${params.base}::text AS char(3))
        AND fx.day <= ${day} AND fx.day >= ${day} - ${RATE_FALLBACK_DAYS}
      ORDER BY fx.day DESC LIMIT 1), 2) END)`;
}

/** A (currency, business day) whose rate was added or changed. */
export interface RatePair {
  currency: string;
  day: string;
}
