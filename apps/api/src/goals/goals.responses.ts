import { ApiProperty } from '@nestjs/swagger';
import type { GoalPace, GoalProgressResponse, GoalSettings } from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/goals.ts` (see common/api-schema.ts). */

export class GoalSettingsSchema implements GoalSettings {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'base currency; null when no goal is set', example: 5000 })
  monthlyRevenue!: number | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  updatedAt!: string | null;
}

export class GoalProgressSchema implements GoalProgressResponse {
  @ApiProperty({ example: 'Europe/Berlin' })
  timezone!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty(DATE_TIME)
  asOf!: string;

  @ApiProperty({ description: 'YYYY-MM in the business zone', example: '2026-03' })
  month!: string;

  @ApiProperty(DATE_TIME)
  monthStart!: string;

  @ApiProperty(DATE_TIME)
  monthEnd!: string;

  @ApiProperty({ type: Number, nullable: true, example: 5000 })
  goal!: number | null;

  @ApiProperty({ description: 'revenue of the month so far (orders minus refunds)', example: 2150.4 })
  revenue!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'revenue at month end if the pace so far holds; null at 00:00 of the 1st',
    example: 4620.8,
  })
  projected!: number | null;

  @ApiProperty({ description: 'share of the month elapsed, 0–1', example: 0.4653 })
  elapsed!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'on a straight line to the goal; null without a goal' })
  expectedByNow!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'revenue / goal × 100; null without a goal', example: 43 })
  percentOfGoal!: number | null;

  @ApiProperty({ enum: literals<GoalPace>({ on_track: true, behind: true, no_goal: true }) })
  pace!: GoalPace;
}
