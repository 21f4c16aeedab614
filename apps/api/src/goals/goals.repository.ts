import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const GOAL_KEY = 'goals.monthlyRevenue';

export interface PaceFigures {
  projected: string | null;
  expectedByNow: string | null;
  percentOfGoal: string | null;
  elapsed: string;
}

/** The goal setting (settings table, key/jsonb) and the goal arithmetic, done in `numeric`. */
@Injectable()
export class GoalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The goal as a decimal string, or null when none is set. */
  async monthlyGoal(): Promise<{ amount: string | null; updatedAt: Date | null }> {
    const rows: Array<{ amount: string | null; updated_at: Date }> = await this.dataSource.query(
      `SELECT value->>'amount' AS amount, updated_at FROM settings WHERE key = $1`,
      [GOAL_KEY],
    );
    return { amount: rows[0]?.amount ?? null, updatedAt: rows[0]?.updated_at ?? null };
  }

  async setMonthlyGoal(amount: string | null): Promise<void> {
    if (amount === null) {
      await this.dataSource.query(`DELETE FROM settings WHERE key = $1`, [GOAL_KEY]);
      return;
    }
    await this.dataSource.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, jsonb_build_object('amount', $2::text), now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [GOAL_KEY, amount],
    );
  }

  /**
   * Month-end projection at the pace so far (revenue × month length / elapsed), where a straight line to
   * the goal would be now, and the share of the goal reached; exact until rounded to cents.
   */
  async pace(revenue: string, goal: string | null, elapsedMs: number, monthMs: number): Promise<PaceFigures> {
    const [row]: PaceFigures[] = await this.dataSource.query(
      `SELECT CASE WHEN $3::numeric = 0 THEN NULL ELSE round($1::numeric * $4 / $3, 2)::text END AS "projected",
         round($2::numeric * $3 / $4, 2)::text AS "expectedByNow",
         round($1::numeric * 100 / nullif($2::numeric, 0), 2)::text AS "percentOfGoal",
         round($3::numeric / $4, 4)::text AS "elapsed"`,
      [revenue, goal, elapsedMs, monthMs],
    );
    return row!;
  }
}
