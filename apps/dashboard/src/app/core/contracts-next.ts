import type {
  AnalyticsWarning,
  CountriesResponse,
  DailyGrowthResponse,
  IsoDate,
  IsoDateTime,
  OrderEvent,
  PeriodWindow,
  PlatformsResponse,
} from '@mt/contracts';

/*
 * The range-following endpoints as the API engineer is adding them to @mt/contracts (issue 16). Kept
 * here until that lands; then these names become re-exports of the shared ones and this file goes.
 */

export type CompareWith = 'previous' | 'yoy';

export interface TimeRange {
  from: IsoDateTime;
  to: IsoDateTime;
}

export interface GrowthDay {
  date: IsoDate;
  orders: number;
  revenue: number;
  aov: number | null;
  aovChange: number | null;
}

/** `GET /api/growth/daily?from=&to=&compare=`: `days` and `comparisonDays` line up by position. */
export interface RangeDailyGrowthResponse extends DailyGrowthResponse {
  from: IsoDateTime;
  to: IsoDateTime;
  compare: CompareWith;
  previous: TimeRange;
  days: GrowthDay[];
  comparisonDays: GrowthDay[];
}

export interface HourFigures {
  hour: number;
  start: IsoDateTime;
  orders: number;
  revenue: number;
  cumulativeRevenue: number;
}

/** `GET /api/growth/hourly?date=&compare=`: today's hours stop at now, the comparison day is whole. */
export interface HourlyGrowthResponse {
  currency: string;
  warnings: AnalyticsWarning[];
  timezone: string;
  asOf: IsoDateTime;
  date: IsoDate;
  compare: CompareWith;
  hours: HourFigures[];
  comparison: { date: IsoDate; hours: HourFigures[]; samePoint: PeriodWindow };
}

/** A country's or platform's figures in the comparison range, and the percent change from them. */
export interface GroupComparison {
  previous: { orders: number; revenue: number };
  change: { orders: number | null; revenue: number | null };
}

/** `GET /api/revenue/platforms?from=&to=&compare=`: each platform with its comparison figures. */
export interface RangePlatformsResponse extends Omit<PlatformsResponse, 'platforms'> {
  compare: CompareWith;
  previous: TimeRange;
  platforms: Array<PlatformsResponse['platforms'][number] & GroupComparison>;
}

/** `GET /api/countries?from=&to=&compare=`: the top countries of the range with their comparison figures. */
export interface RangeCountriesResponse extends Omit<CountriesResponse, 'countries'> {
  compare: CompareWith;
  previous: TimeRange;
  countries: Array<CountriesResponse['countries'][number] & GroupComparison>;
}

/**
 * `order.created` as SPEC §5 has it: with the order's number and, once orders carry their lines, the
 * titles bought. Both are optional until the API sends them.
 */
export type LiveOrderEvent = OrderEvent & { orderNumber?: string | null; titles?: string[] };
