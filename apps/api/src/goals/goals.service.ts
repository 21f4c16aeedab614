import { Injectable } from '@nestjs/common';
import type { GoalPace, GoalProgressResponse, GoalSettings } from '@mt/contracts';
import { addMonthsToMonthStart, localDate, monthSoFar, startOfLocalDay, toZonedIso } from '@mt/periods';
import { AppConfig } from '../config/app-config';
import { SalesRepository } from '../sales/sales.repository';
import { GoalsRepository } from './goals.repository';

/** The monthly revenue goal and this month's pace towards it (SPEC §6: "on track for $X, goal $Y"). */
@Injectable()
export class GoalsService {
  constructor(
    private readonly repository: GoalsRepository,
    private readonly sales: SalesRepository,
    private readonly config: AppConfig,
  ) {}

  async settings(): Promise<GoalSettings> {
    const goal = await this.repository.monthlyGoal();
    return {
      currency: this.config.baseCurrency,
      monthlyRevenue: goal.amount === null ? null : Number(goal.amount),
      updatedAt: goal.updatedAt?.toISOString() ?? null,
    };
  }

  async updateSettings(monthlyRevenue: number | null): Promise<GoalSettings> {
    // Validated to at most 2 decimals, so toFixed(2) is the exact decimal the admin typed.
    await this.repository.setMonthlyGoal(monthlyRevenue === null ? null : monthlyRevenue.toFixed(2));
    return this.settings();
  }

  async current(now: Date): Promise<GoalProgressResponse> {
    const zone = this.config.businessTimezone;
    const month = monthSoFar(now, zone);
    const monthEnd = startOfLocalDay(addMonthsToMonthStart(localDate(now, zone), 1), zone);
    const [[figures], goal] = await Promise.all([
      this.sales.windows([{ ...month, previous: null }]),
      this.repository.monthlyGoal(),
    ]);
    // The analytics figures are exact sums rounded to cents, so their cents string is exact.
    const revenue = figures!.revenue;
    const pace = await this.repository.pace(
      revenue.toFixed(2),
      goal.amount,
      now.getTime() - month.from.getTime(),
      monthEnd.getTime() - month.from.getTime(),
    );
    const projected = pace.projected === null ? null : Number(pace.projected);
    return {
      timezone: zone,
      currency: this.config.baseCurrency,
      asOf: toZonedIso(now, zone),
      month: localDate(month.from, zone).slice(0, 7),
      monthStart: toZonedIso(month.from, zone),
      monthEnd: toZonedIso(monthEnd, zone),
      goal: goal.amount === null ? null : Number(goal.amount),
      revenue,
      projected,
      elapsed: Number(pace.elapsed),
      expectedByNow: pace.expectedByNow === null ? null : Number(pace.expectedByNow),
      percentOfGoal: pace.percentOfGoal === null ? null : Number(pace.percentOfGoal),
      pace: paceOf(goal.amount, projected),
    };
  }
}

function paceOf(goal: string | null, projected: number | null): GoalPace {
  if (goal === null) return 'no_goal';
  // At 00:00 of the 1st nothing is expected yet.
  if (projected === null) return 'on_track';
  return Math.round(projected * 100) >= Math.round(Number(goal) * 100) ? 'on_track' : 'behind';
}
