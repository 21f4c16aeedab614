import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import {
  PLATFORMS,
  type AnalyticsWarning,
  type Comparison,
  type CountriesResponse,
  type DailyGrowthResponse,
  type MetricsSummaryResponse,
  type MonthlyGrowthResponse,
  type PeriodChange,
  type PeriodComparisonResponse,
  type PeriodWindow,
  type Platform,
  type PlatformStatus,
  type PlatformsResponse,
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

export class DailyGrowthSchema extends ZonedAnalyticsSchema implements DailyGrowthResponse {
  @ApiProperty({ type: [GrowthDaySchema], description: 'oldest first, today so far last, empty days included' })
  days!: DailyGrowthResponse['days'];
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

export class CountryFiguresSchema implements CountryFigures {
  @ApiProperty(COUNTRY)
  country!: string | null;

  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty()
  revenue!: number;
}

export class CountriesSchema extends AnalyticsSchema implements CountriesResponse {
  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

  @ApiProperty({ type: [CountryFiguresSchema], description: 'by orders, then revenue (or the other way round)' })
  countries!: CountriesResponse['countries'];
}

export class PlatformFiguresSchema implements PlatformFigures {
  @ApiProperty({ enum: PLATFORMS })
  platform!: Platform;

  @ApiProperty({ enum: literals<PlatformStatus>({ active: true, coming_soon: true }) })
  status!: PlatformStatus;

  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty()
  revenue!: number;
}

export class PlatformsSchema extends AnalyticsSchema implements PlatformsResponse {
  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

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
}
