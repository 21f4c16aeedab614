import type { IsoDate, IsoDateTime } from './common';

/**
 * Alert rules (admin) and the alerts they fired. Each rule fires at most once per period (`periodKey`):
 * - `day_revenue`: today's revenue reached `threshold` (base currency); period = the local day.
 * - `week_orders`: this ISO week's orders reached `threshold`; period = the week's Monday.
 * - `best_day`: today's revenue went above the best earlier day; period = the local day.
 * - `silence`: no counted order for `hours`, noticed between `activeFrom` and `activeTo` (local, may wrap
 *   midnight); period = the quiet spell (the instant of the last order before it).
 * - `daily_digest`: yesterday's figures, sent at `sendAt` (local); period = yesterday.
 */
export const ALERT_KINDS = ['day_revenue', 'week_orders', 'best_day', 'silence', 'daily_digest'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What each kind of rule watches, in words; also what presenter mode shows instead of a subject with amounts. */
export const ALERT_KIND_NAMES: Record<AlertKind, string> = {
  day_revenue: 'Day revenue milestone',
  week_orders: 'Week orders milestone',
  best_day: 'Best day ever',
  silence: 'No order for a while',
  daily_digest: 'Daily digest',
};

export interface AlertRule {
  id: number;
  kind: AlertKind;
  name: string;
  enabled: boolean;
  /** day_revenue: amount in the base currency; week_orders: number of orders; otherwise null. */
  threshold: number | null;
  /** silence only. */
  hours: number | null;
  /** silence only, `HH:MM` in the business zone. */
  activeFrom: string | null;
  activeTo: string | null;
  /** daily_digest only, `HH:MM` in the business zone. */
  sendAt: string | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

/** Body of `POST /api/alerts` and `PUT /api/alerts/:id`: the fields the kind needs (see `AlertRule`). */
export interface AlertRuleRequest {
  kind: AlertKind;
  name?: string;
  enabled?: boolean;
  threshold?: number | null;
  hours?: number | null;
  activeFrom?: string | null;
  activeTo?: string | null;
  sendAt?: string | null;
}

export type AlertDelivery = 'pending' | 'sent' | 'failed' | 'not_configured';

export interface AlertEvent {
  id: number;
  ruleId: number;
  kind: AlertKind;
  ruleName: string;
  /** The period it fired for: a date, a week's Monday, or the instant a quiet spell started. */
  periodKey: string;
  firedAt: IsoDateTime;
  subject: string;
  body: string;
  delivery: AlertDelivery;
  deliveryError: string | null;
}

export interface AlertEventsResponse {
  events: AlertEvent[];
}

/** `POST /api/alerts/check`: what one run of the checks fired (admins use it to test their rules). */
export interface AlertCheckResponse {
  asOf: IsoDateTime;
  fired: AlertEvent[];
}

/** One day's totals in the digest. */
export interface DigestDay {
  date: IsoDate;
  orders: number;
  revenue: number;
  aov: number | null;
}

export interface DigestChange {
  orders: number | null;
  revenue: number | null;
  aov: number | null;
}

/** What the daily digest reports about yesterday (the e-mail's numbers). Changes in percent, null when the base was 0. */
export interface DigestFigures {
  timezone: string;
  currency: string;
  day: DigestDay;
  dayBefore: DigestDay;
  sameWeekdayLastWeek: DigestDay;
  vsDayBefore: DigestChange;
  vsSameWeekdayLastWeek: DigestChange;
  /** Yesterday's top countries by orders, then revenue; `country` null when unknown. */
  topCountries: Array<{ country: string | null; orders: number; revenue: number }>;
  /** Spotify listening minutes of the last complete ISO week and the week before it. */
  spotify: { weekStart: IsoDate; minutes: number; previousWeekMinutes: number; change: number | null };
}
