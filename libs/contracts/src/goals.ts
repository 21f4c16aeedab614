import type { IsoDateTime } from './common';

/** `GET/PUT /api/goals`: the monthly revenue goal in the base currency; null when none is set. */
export interface GoalSettings {
  currency: string;
  monthlyRevenue: number | null;
  updatedAt: IsoDateTime | null;
}

export interface GoalSettingsRequest {
  /** Base currency, at most 2 decimals; null removes the goal. */
  monthlyRevenue: number | null;
}

export type GoalPace = 'on_track' | 'behind' | 'no_goal';

/** `GET /api/goals/current`: this month against the goal, at the pace so far. */
export interface GoalProgressResponse {
  timezone: string;
  currency: string;
  asOf: IsoDateTime;
  /** `YYYY-MM` in the business zone. */
  month: string;
  monthStart: IsoDateTime;
  monthEnd: IsoDateTime;
  goal: number | null;
  /** Revenue of the month so far (orders minus refunds, SPEC §2). */
  revenue: number;
  /** Revenue at month end if the pace so far (per elapsed hour of the month) holds; null at 00:00 of the 1st. */
  projected: number | null;
  /** Share of the month elapsed, 0–1, rounded to 4 decimals. */
  elapsed: number;
  /** Where revenue would be now on a straight line to the goal; null without a goal. */
  expectedByNow: number | null;
  /** revenue / goal × 100, rounded to 0.01; null without a goal. */
  percentOfGoal: number | null;
  pace: GoalPace;
}
