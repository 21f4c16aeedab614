import { ApiProperty } from '@nestjs/swagger';
import type {
  DailyGrowthResponse,
  FirstScreenResponse,
  HourlyGrowthResponse,
  MetricsSummaryResponse,
  MonthlyGrowthResponse,
  TodayVsYesterdayResponse,
  WeeklyGrowthResponse,
} from '@mt/contracts';
import {
  DailyGrowthSchema,
  HourlyGrowthSchema,
  MetricsSummarySchema,
  MonthlyGrowthSchema,
  TodayVsYesterdaySchema,
  WeeklyGrowthSchema,
} from '../comparison/comparison.responses';

export class FirstScreenSchema implements FirstScreenResponse {
  @ApiProperty({ type: TodayVsYesterdaySchema })
  todayVsYesterday!: TodayVsYesterdayResponse;

  @ApiProperty({ type: HourlyGrowthSchema })
  hourly!: HourlyGrowthResponse;

  @ApiProperty({ type: MetricsSummarySchema })
  summary!: MetricsSummaryResponse;

  @ApiProperty({ type: WeeklyGrowthSchema, description: 'the last 13 ISO weeks' })
  weekly!: WeeklyGrowthResponse;

  @ApiProperty({ type: MonthlyGrowthSchema, description: 'the last 13 months' })
  monthly!: MonthlyGrowthResponse;

  @ApiProperty({ type: DailyGrowthSchema, description: 'the last 31 days' })
  daily!: DailyGrowthResponse;
}
