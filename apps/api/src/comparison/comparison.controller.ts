import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CountriesResponse,
  DailyGrowthResponse,
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
  MetricsSummarySchema,
  MonthlyGrowthSchema,
  PeriodComparisonSchema,
  PlatformsSchema,
  TodayVsYesterdaySchema,
  WeeklyGrowthSchema,
} from './comparison.responses';
import { ComparisonService } from './comparison.service';
import { CountriesQuery, DaysQuery, MonthsQuery, RangeQuery, WeeksQuery } from './comparison.dto';

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
  @ApiOperation({ summary: 'Orders, revenue and AOV per day, oldest first, empty days included' })
  @ApiOkResponse({ type: DailyGrowthSchema })
  daily(@Query() query: DaysQuery): Promise<DailyGrowthResponse> {
    return this.comparison.dailyGrowth(this.clock.now(query.now), query.days);
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
  @ApiOperation({ summary: 'Top countries of the last days by orders (or revenue)' })
  @ApiOkResponse({ type: CountriesSchema })
  countries(@Query() query: CountriesQuery): Promise<CountriesResponse> {
    return this.comparison.countries(this.clock.now(query.now), query.days, query.limit, query.sort);
  }

  @Get('revenue/platforms')
  @ApiOperation({
    summary: 'Orders and revenue of the last days per platform; Amazon and eBay are coming soon until they have orders',
  })
  @ApiOkResponse({ type: PlatformsSchema })
  platforms(@Query() query: DaysQuery): Promise<PlatformsResponse> {
    return this.comparison.platforms(this.clock.now(query.now), query.days);
  }

  @Get('metrics/summary')
  @ApiOperation({
    summary: "The dashboard's metrics grid: today, yesterday, week, month and 30 days, each with its comparison",
  })
  @ApiOkResponse({ type: MetricsSummarySchema })
  summary(@Query() query: ClockQuery): Promise<MetricsSummaryResponse> {
    return this.comparison.metricsSummary(this.clock.now(query.now));
  }
}
