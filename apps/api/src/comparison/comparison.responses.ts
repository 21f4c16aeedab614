import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import {
  COMPARE_WITH,
  PLATFORMS,
  type AnalyticsWarning,
  type CompareWith,
  type Comparison,
  type CountriesResponse,
  type DailyGrowthResponse,
  type GroupComparison,
  type HourFigures,
  type HourlyGrowthResponse,
  type MetricsSummaryResponse,
  type MonthlyGrowthResponse,
  type PeriodChange,
  type PeriodComparisonResponse,
  type PeriodWindow,
  type Platform,
  type PlatformStatus,
  type PlatformsResponse,
  type TimeRange,
  type TodayVsYesterdayResponse,
  type WeeklyGrowthResponse,
} from '@mt/contracts';
import { DATE, DATE_TIME, literals, PERCENT_CHANGE } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/analytics.ts` (see common/api-schema.ts). */

type GrowthDay = DailyGrowthResponse['days'][number];
type GrowthWeek = WeeklyGrowthResponse['weeks'][number];
type GrowthMonth = MonthlyGrowthResponse['months'][number];
type CountryFigures = CountriesResponse['countries'][number];
type PlatformFigures = PlatformsResponse['platforms'][number];

const COMPARE = {
  enum: COMPARE_WITH,
  description: 'previous: the equally long range just before; yoy: the same range 364 days earlier',
};
const AOV = { type: Number, nullable: true, description: 'revenue / orders; null without orders', example: 32.5 };
const COUNTRY = { type: String, nullable: true, description: 'ISO 3166-1 alpha-2; null when unknown', example: 'GB' };

/** SPEC §3 `Window`. */
export class PeriodWindowSchema implements PeriodWindow {
  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

  @ApiProperty({ type: 'integer', example: 12 })
  orders!: number;

  @ApiProperty({ description: 'base currency, orders minus refunds', example: 390 })
  revenue!: number;

  @ApiProperty(AOV)
  aov!: number | null;
}

/** SPEC §3 `Change`, in percent. */
export class PeriodChangeSchema implements PeriodChange {
  @ApiProperty(PERCENT_CHANGE)
  orders!: number | null;

  @ApiProperty(PERCENT_CHANGE)
  revenue!: number | null;

  @ApiProperty(PERCENT_CHANGE)
  aov!: number | null;
}

export class MissingRatesSchema {
  @ApiProperty({ example: 'ZAR' })
  currency!: string;

  @ApiProperty({ type: [String], format: 'date', example: ['2026-03-27'] })
  days!: string[];
}

export class AnalyticsWarningSchema implements AnalyticsWarning {
  @ApiProperty({ enum: literals<AnalyticsWarning['code']>({ unconverted_orders: true, unconverted_refunds: true }) })
  code!: AnalyticsWarning['code'];

  @ApiProperty({ type: 'integer', description: 'how many were left out across the windows' })
  count!: number;

  @ApiProperty({ type: [String], example: ['EUR'] })
  currencies!: string[];

  @ApiProperty({
    type: [MissingRatesSchema],
    description: 'per currency, the business days that have no rate within the 7 days before: what to add',
  })
  missing!: MissingRatesSchema[];

  @ApiProperty()
  message!: string;
}

/** What every analytics response carries. */
class AnalyticsSchema {
  @ApiProperty({ description: 'the base currency of every amount', example: 'USD' })
  currency!: string;

  @ApiProperty({ type: [AnalyticsWarningSchema], description: 'orders or refunds left out; empty when none' })
  warnings!: AnalyticsWarning[];
}

class ZonedAnalyticsSchema extends AnalyticsSchema {
  @ApiProperty({ example: 'Europe/Berlin' })
  timezone!: string;
}

export class TodayVsYesterdaySchema extends ZonedAnalyticsSchema implements TodayVsYesterdayResponse {
  @ApiProperty(DATE_TIME)
  asOf!: string;

  @ApiProperty({ type: PeriodWindowSchema })
  today!: PeriodWindow;

  @ApiProperty({ type: PeriodWindowSchema, description: "yesterday up to now's wall-clock time" })
  yesterday!: PeriodWindow;

  @ApiProperty({ type: PeriodWindowSchema })
  yesterdayFullDay!: PeriodWindow;

  @ApiProperty({ type: PeriodChangeSchema, description: 'today vs yesterday at the same time' })
  change!: PeriodChange;
}

export class ComparisonSchema implements Comparison {
  @ApiProperty({ type: PeriodWindowSchema })
  current!: PeriodWindow;

  @ApiProperty({ type: PeriodWindowSchema })
  previous!: PeriodWindow;

  @ApiProperty({ type: PeriodChangeSchema })
  change!: PeriodChange;
}

export class RangeComparisonSchema extends ComparisonSchema {
  @ApiProperty(COMPARE)
  compare!: CompareWith;
}

export class PeriodComparisonSchema
  extends IntersectionType(ZonedAnalyticsSchema, ComparisonSchema)
  implements PeriodComparisonResponse
{
  @ApiProperty(DATE_TIME)
  asOf!: string;
}

class GrowthFiguresSchema {
  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty()
  revenue!: number;

  @ApiProperty(AOV)
  aov!: number | null;
}

export class GrowthDaySchema extends GrowthFiguresSchema implements GrowthDay {
  @ApiProperty(DATE)
  date!: string;

  @ApiProperty({ ...PERCENT_CHANGE, description: "AOV's percent change from the day before" })
  aovChange!: number | null;
}

export class TimeRangeSchema implements TimeRange {
  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;
}

/** The range a response covers, cut at now, and the comparison range it used. */
class ComparedRangeSchema {
  @ApiProperty({ ...DATE_TIME, description: 'the range, cut at now' })
  from!: string;

  @ApiProperty({ ...DATE_TIME, description: 'the range, cut at now' })
  to!: string;

  @ApiProperty(COMPARE)
  compare!: CompareWith;

  @ApiProperty({ type: TimeRangeSchema, description: 'the comparison range, cut at the same point' })
  previous!: TimeRange;
}

export class DailyGrowthSchema
  extends IntersectionType(ZonedAnalyticsSchema, ComparedRangeSchema)
  implements DailyGrowthResponse
{
  @ApiProperty({ type: [GrowthDaySchema], description: 'oldest first, today so far last, empty days included' })
  days!: DailyGrowthResponse['days'];

  @ApiProperty({
    type: [GrowthDaySchema],
    description: "the comparison range's days, oldest first, in step with days and cut at the same point",
  })
  comparisonDays!: DailyGrowthResponse['comparisonDays'];
}

export class HourFiguresSchema implements HourFigures {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 23,
    description: "the local wall-clock hour; twice in a row on the autumn DST day's repeated hour",
  })
  hour!: number;

  @ApiProperty({ ...DATE_TIME, description: "the hour's start with the offset of that moment" })
  start!: string;

  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty({ description: 'base currency, orders minus refunds', example: 120.5 })
  revenue!: number;

  @ApiProperty({ description: "revenue from the day's 00:00 to the end of this hour", example: 980.25 })
  cumulativeRevenue!: number;
}

export class HourlyComparisonSchema {
  @ApiProperty(DATE)
  date!: string;

  @ApiProperty({
    type: [HourFiguresSchema],
    description: 'the whole comparison day (cut at now only when it is today)',
  })
  hours!: HourFigures[];

  @ApiProperty({
    type: PeriodWindowSchema,
    description: 'the comparison day up to the same wall-clock point as hours reaches (the whole day for a past day)',
  })
  samePoint!: PeriodWindow;
}

export class HourlyGrowthSchema extends ZonedAnalyticsSchema implements HourlyGrowthResponse {
  @ApiProperty(DATE_TIME)
  asOf!: string;

  @ApiProperty(DATE)
  date!: string;

  @ApiProperty(COMPARE)
  compare!: CompareWith;

  @ApiProperty({
    type: [HourFiguresSchema],
    description: 'the day by local hour (23 or 25 entries on DST days); for today only up to now',
  })
  hours!: HourFigures[];

  @ApiProperty({ type: HourlyComparisonSchema })
  comparison!: HourlyGrowthResponse['comparison'];
}

export class GrowthWeekSchema extends GrowthFiguresSchema implements GrowthWeek {
  @ApiProperty({ ...DATE, description: "the ISO week's Monday" })
  weekStart!: string;

  @ApiProperty({ ...PERCENT_CHANGE, description: "revenue's percent change from the week before" })
  revenueChange!: number | null;
}

export class WeeklyGrowthSchema extends ZonedAnalyticsSchema implements WeeklyGrowthResponse {
  @ApiProperty({ type: [GrowthWeekSchema], description: 'oldest first, this week so far last' })
  weeks!: WeeklyGrowthResponse['weeks'];
}

export class GrowthMonthSchema extends GrowthFiguresSchema implements GrowthMonth {
  @ApiProperty({ description: 'YYYY-MM', example: '2026-03' })
  month!: string;

  @ApiProperty({ ...PERCENT_CHANGE, description: "revenue's percent change from the month before" })
  revenueChange!: number | null;
}

export class MonthlyGrowthSchema extends ZonedAnalyticsSchema implements MonthlyGrowthResponse {
  @ApiProperty({ type: [GrowthMonthSchema], description: 'oldest first, this month so far last' })
  months!: MonthlyGrowthResponse['months'];
}

class PreviousFiguresSchema {
  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty()
  revenue!: number;
}

class GroupChangeSchema {
  @ApiProperty(PERCENT_CHANGE)
  orders!: number | null;

  @ApiProperty(PERCENT_CHANGE)
  revenue!: number | null;
}

/** A country's or platform's figures in the comparison range, and the change. */
class GroupComparisonSchema implements GroupComparison {
  @ApiProperty({ type: PreviousFiguresSchema, description: 'in the comparison range' })
  previous!: GroupComparison['previous'];

  @ApiProperty({ type: GroupChangeSchema, description: 'percent change from previous' })
  change!: GroupComparison['change'];
}

export class CountryFiguresSchema extends GroupComparisonSchema implements CountryFigures {
  @ApiProperty(COUNTRY)
  country!: string | null;

  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty()
  revenue!: number;
}

export class CountriesSchema
  extends IntersectionType(AnalyticsSchema, ComparedRangeSchema)
  implements CountriesResponse
{
  @ApiProperty({ type: [CountryFiguresSchema], description: 'by orders, then revenue (or the other way round)' })
  countries!: CountriesResponse['countries'];
}

export class PlatformFiguresSchema extends GroupComparisonSchema implements PlatformFigures {
  @ApiProperty({ enum: PLATFORMS })
  platform!: Platform;

  @ApiProperty({ enum: literals<PlatformStatus>({ active: true, coming_soon: true }) })
  status!: PlatformStatus;

  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty()
  revenue!: number;
}

export class PlatformsSchema
  extends IntersectionType(AnalyticsSchema, ComparedRangeSchema)
  implements PlatformsResponse
{
  @ApiProperty({ type: [PlatformFiguresSchema], description: 'always the five platforms' })
  platforms!: PlatformsResponse['platforms'];
}

export class MetricsSummarySchema extends ZonedAnalyticsSchema implements MetricsSummaryResponse {
  @ApiProperty(DATE_TIME)
  asOf!: string;

  @ApiProperty({ type: ComparisonSchema, description: 'today so far vs yesterday at the same time' })
  today!: Comparison;

  @ApiProperty({ type: ComparisonSchema, description: "yesterday's full day vs the day before" })
  yesterday!: Comparison;

  @ApiProperty({ type: ComparisonSchema, description: 'this week so far vs last week at the same point' })
  week!: Comparison;

  @ApiProperty({ type: ComparisonSchema, description: 'this month so far vs last month at the same point' })
  month!: Comparison;

  @ApiProperty({ type: ComparisonSchema, description: 'the last 30 days vs the 30 before, at the same time' })
  last30Days!: Comparison;

  @ApiProperty({
    type: RangeComparisonSchema,
    nullable: true,
    description: 'with from/to: the chosen range (cut at now) vs its comparison; otherwise null',
  })
  range!: MetricsSummaryResponse['range'];
}
