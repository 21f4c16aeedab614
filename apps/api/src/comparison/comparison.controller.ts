import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CountriesResponse,
  DailyGrowthResponse,
  HourlyGrowthResponse,
  MetricsSummaryResponse,
  MonthlyGrowthResponse,
  PeriodComparisonResponse,
  PlatformsResponse,
  TodayVsYesterdayResponse,
  WeeklyGrowthResponse,
} from '@mt/contracts';
import { ApiSignedIn } from '../auth/api-auth';
import { Clock, ClockQuery } from '../common/clock';
import {
  CountriesSchema,
  DailyGrowthSchema,
  HourlyGrowthSchema,
  MetricsSummarySchema,
  MonthlyGrowthSchema,
  PeriodComparisonSchema,
  PlatformsSchema,
  TodayVsYesterdaySchema,
  WeeklyGrowthSchema,
} from './comparison.responses';
import { ComparisonService } from './comparison.service';
import {
  ChosenRangeQuery,
  CountriesQuery,
  DaysQuery,
  HourlyQuery,
  MonthsQuery,
  RangeQuery,
  WeeksQuery,
} from './comparison.dto';

@ApiTags('comparison')
@ApiSignedIn()
@Controller('comparison')
export class ComparisonController {
  constructor(
    private readonly comparison: ComparisonService,
    private readonly clock: Clock,
  ) {}

  @Get('today-vs-yesterday')
  @ApiOperation({ summary: 'Today so far vs yesterday at the same wall-clock time, and yesterday in full' })
  @ApiOkResponse({ type: TodayVsYesterdaySchema })
  todayVsYesterday(@Query() query: ClockQuery): Promise<TodayVsYesterdayResponse> {
    return this.comparison.todayVsYesterday(this.clock.now(query.now));
  }

  @Get('week-vs-lastweek')
  @ApiOperation({ summary: 'This ISO week so far vs last week at the same point' })
  @ApiOkResponse({ type: PeriodComparisonSchema })
  weekVsLastWeek(@Query() query: ClockQuery): Promise<PeriodComparisonResponse> {
    return this.comparison.weekVsLastWeek(this.clock.now(query.now));
  }

  @Get('month-vs-lastmonth')
  @ApiOperation({ summary: 'This month so far vs last month at the same point (clamped to its end)' })
  @ApiOkResponse({ type: PeriodComparisonSchema })
  monthVsLastMonth(@Query() query: ClockQuery): Promise<PeriodComparisonResponse> {
    return this.comparison.monthVsLastMonth(this.clock.now(query.now));
  }

  @Get('range')
  @ApiOperation({ summary: 'A custom range vs the equally long range just before it' })
  @ApiOkResponse({ type: PeriodComparisonSchema })
  range(@Query() query: RangeQuery): Promise<PeriodComparisonResponse> {
    return this.comparison.range(this.clock.now(query.now), query.from, query.to);
  }

  @Get('yoy')
  @ApiOperation({ summary: 'A range vs the same range 364 days earlier (weekdays aligned)' })
  @ApiOkResponse({ type: PeriodComparisonSchema })
  yearOverYear(@Query() query: RangeQuery): Promise<PeriodComparisonResponse> {
    return this.comparison.yearOverYear(this.clock.now(query.now), query.from, query.to);
  }
}

@ApiTags('comparison')
@ApiSignedIn()
@Controller('growth')
export class GrowthController {
  constructor(
    private readonly comparison: ComparisonService,
    private readonly clock: Clock,
  ) {}

  @Get('daily')
  @ApiOperation({
    summary: 'Orders, revenue and AOV per day of the last days or of the chosen range, with its comparison days',
    description:
      'Oldest first, empty days included, the range cut at now. `comparisonDays` are the comparison range’s ' +
      'days (`previous`: the equally long range before, or with compare=yoy 364 days earlier), in step with ' +
      '`days` and cut at the same point: the comparison of today so far ends at now’s wall-clock time.',
  })
  @ApiOkResponse({ type: DailyGrowthSchema })
  daily(@Query() query: DaysQuery): Promise<DailyGrowthResponse> {
    return this.comparison.dailyGrowth(this.clock.now(query.now), query);
  }

  @Get('hourly')
  @ApiOperation({
    summary: 'A day by local hour with the day before (or 364 days before), for the hero chart',
    description:
      'Hours of the business zone’s wall clock: 23 entries on the spring DST day, 25 on the autumn one, ' +
      'where the repeated hour appears twice with the same `hour` and its own `start` offset. For today, ' +
      '`hours` stops at now (the hour holding now has the figures so far, later hours are left out); ' +
      '`comparison.hours` is the whole comparison day, so its line can be drawn in full (cut at now only ' +
      'when it is today, for a date after today), and ' +
      '`comparison.samePoint` is the comparison day up to the same wall-clock point, which equals ' +
      '`today-vs-yesterday`’s `yesterday`. `cumulativeRevenue` is the running sum from 00:00, exact before rounding.',
  })
  @ApiOkResponse({ type: HourlyGrowthSchema })
  hourly(@Query() query: HourlyQuery): Promise<HourlyGrowthResponse> {
    return this.comparison.hourlyGrowth(this.clock.now(query.now), query.date, query.compare);
  }

  @Get('weekly')
  @ApiOperation({ summary: 'Orders, revenue and AOV per ISO week, oldest first' })
  @ApiOkResponse({ type: WeeklyGrowthSchema })
  weekly(@Query() query: WeeksQuery): Promise<WeeklyGrowthResponse> {
    return this.comparison.weeklyGrowth(this.clock.now(query.now), query.weeks);
  }

  @Get('monthly')
  @ApiOperation({ summary: 'Orders, revenue and AOV per month, oldest first' })
  @ApiOkResponse({ type: MonthlyGrowthSchema })
  monthly(@Query() query: MonthsQuery): Promise<MonthlyGrowthResponse> {
    return this.comparison.monthlyGrowth(this.clock.now(query.now), query.months);
  }
}

@ApiTags('comparison')
@ApiSignedIn()
@Controller()
export class BreakdownController {
  constructor(
    private readonly comparison: ComparisonService,
    private readonly clock: Clock,
  ) {}

  @Get('countries')
  @ApiOperation({
    summary: 'Top countries of the last days or of the chosen range by orders (or revenue), each with its comparison',
  })
  @ApiOkResponse({ type: CountriesSchema })
  countries(@Query() query: CountriesQuery): Promise<CountriesResponse> {
    return this.comparison.countries(this.clock.now(query.now), query, query.limit, query.sort);
  }

  @Get('revenue/platforms')
  @ApiOperation({
    summary:
      'Orders and revenue per platform of the last days or of the chosen range, each with its comparison; ' +
      'Amazon and eBay are coming soon until they have orders',
  })
  @ApiOkResponse({ type: PlatformsSchema })
  platforms(@Query() query: DaysQuery): Promise<PlatformsResponse> {
    return this.comparison.platforms(this.clock.now(query.now), query);
  }

  @Get('metrics/summary')
  @ApiOperation({
    summary:
      "The dashboard's metrics grid: today, yesterday, week, month and 30 days, each with its comparison; " +
      'with from/to also the chosen range against its comparison',
  })
  @ApiOkResponse({ type: MetricsSummarySchema })
  summary(@Query() query: ChosenRangeQuery): Promise<MetricsSummaryResponse> {
    return this.comparison.metricsSummary(this.clock.now(query.now), query);
  }
}
