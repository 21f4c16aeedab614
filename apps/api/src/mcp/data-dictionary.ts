import type { SpotifySettings } from '@mt/contracts';
import type { AppConfig } from '../config/app-config';

export const DATA_DICTIONARY_URI = 'mtink://data-dictionary';

type DictionaryConfig = Pick<AppConfig, 'businessTimezone' | 'baseCurrency' | 'refundAttribution'>;

/**
 * SPEC §2 in short, as this instance applies it: the live zone, currency, refund attribution and
 * Spotify settings are written in, so that an assistant explains a figure with the values behind it.
 */
export function dataDictionary(config: DictionaryConfig, spotify: SpotifySettings): string {
  const zone = config.businessTimezone;
  const currency = config.baseCurrency;
  const refunds =
    config.refundAttribution === 'order_date'
      ? "on the day of the order they belong to (REFUND_ATTRIBUTION=order_date), so a past day's revenue can still go down"
      : 'on the day the refund happened (the default, as Shopify and WooCommerce report it), so a past day never changes because of a later refund';
  return `# MT Ink Dashboard: data dictionary

## Time
- Business time zone: **${zone}**. Every "today", "week", "month" and "quarter" is a calendar period there;
  weeks start on Monday (ISO 8601). Times are ISO 8601 with the offset of that zone.
- Days on which the clock changes have 23 or 25 hours; windows follow the wall clock, not "minus 24 hours".

## Same point in time
- Today so far = [today 00:00, now); compared with yesterday from 00:00 to the same wall-clock time.
  Yesterday in full is reported too.
- This week so far = [Monday 00:00, now); compared with last week up to the same weekday and time.
- This month so far = [1st 00:00, now); compared with last month up to the same day and time, clamped to the
  end of last month when it is shorter (31 March compares with the whole of February).
- A custom range [from, to) is compared with the equally long range just before it; year over year compares
  with the same range 364 days earlier (weekdays lined up).
- A range that reaches into the future is cut at now, and so is its comparison range at the same offset:
  a partial day is never compared with a full one.

## What counts
- An order counts at its creation time. Cancelled, voided (failed) and test orders do not count, and their
  refunds are ignored too. Refunded orders still count; their refunds are subtracted as dated events.
- Revenue = the counted orders' totals (tax and shipping included) minus refunds. Refunds lower revenue
  ${refunds}.
- Orders = the number of counted orders. AOV = revenue / orders, null when there are none.
- A change is a percentage: (current − previous) / previous × 100, null when the previous value is 0.

## Money
- Base currency: **${currency}**. Every amount of the sales figures is in ${currency}, summed exactly and
  rounded to cents in the answer.
- An order keeps its own currency and amount. Its ${currency} amount is the platform's shop-currency amount
  where the platform gives one, else converted at the exchange rate of the order's local date in ${zone}
  (or the latest earlier rate within 7 days, as on weekends and holidays).
- An order or refund that cannot be converted yet (no rate) is stored but left out of the sums; the
  \`warnings\` field of the answers it would change says how many, in which currencies, and which days lack a rate. It is converted
  and counted as soon as a rate arrives.

## Spotify
- Listening minutes come per week, per country and per title; money comes later as royalty statements.
- Estimated revenue = minutes × the pool rate, now **$${spotify.poolRate} per minute** (${spotify.poolRateSource}).
  Estimated completes = minutes / the average audiobook length, now **${spotify.averageBookMinutes} minutes**.
- A quarter's actual rate = its revenue / its minutes. The projection of the current quarter = minutes so
  far / days covered × days of the quarter × the rate, with a low–high band from the lowest and highest
  actual rates of the last four quarters (widened to include the current rate).
`;
}
