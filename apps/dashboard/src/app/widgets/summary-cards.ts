import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { Comparison, MetricsSummaryResponse } from '@mt/contracts';
import { AnalyticsApi } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe, monthYear, shortDate } from '../core/format';
import { LiveData, liveData } from '../core/live-data';
import { Chart } from './chart';
import { Delta, ErrorBanner, Skeleton } from './ui';

type Summary = LiveData<MetricsSummaryResponse>;

/** A tile's little chart: the series its figure belongs to, oldest first. */
interface Spark {
  labels: string[];
  values: Array<number | null>;
  title: string;
}

interface Tile {
  key: string;
  label: string;
  kind: 'money' | 'count';
  value: number | null;
  change: number | null;
  /** What the change is measured against: "vs last week". */
  basis: string;
  spark: Spark | null;
  highlight?: boolean;
}

const nothing: Comparison = {
  current: { from: '', to: '', orders: 0, revenue: 0, aov: null },
  previous: { from: '', to: '', orders: 0, revenue: 0, aov: null },
  change: { orders: null, revenue: null, aov: null },
};
/** Stands in while the summary loads, so that the six tiles (labels and sparklines) are there from the start. */
const EMPTY_SUMMARY = { week: nothing, month: nothing, last30Days: nothing, yesterday: nothing, today: nothing };

const weekOf = (weekStart: string) => `Week of ${shortDate(weekStart)}`;

/**
 * The metrics grid (SPEC §6): week and month sales, this week's orders, AOV, 30 days, yesterday; each
 * with its change, what the change is against, and a sparkline of the series it belongs to.
 */
@Component({
  selector: 'mt-metrics-grid',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Chart, Delta, ErrorBanner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="metrics-title">
      <h2 id="metrics-title" class="section-title">Key metrics</h2>
      @if (summary().error(); as error) {
        <mt-error-banner [message]="error" (retry)="summary().reload()" />
      }
      <div class="metrics-grid">
        @for (tile of tiles(); track tile.key) {
          <mat-card
            appearance="outlined"
            class="metric"
            [class.highlight]="tile.highlight"
            [attr.data-testid]="'metric-' + tile.key"
          >
            <span class="label">{{ tile.label }}</span>
            @if (ready()) {
              <span class="value" [class.amount]="tile.kind === 'money'" data-testid="metric-value">
                @if (tile.kind === 'money') {
                  {{ tile.value | money: currency() }}
                } @else {
                  {{ tile.value | num: 2 }}
                }
              </span>
              <mt-delta [change]="tile.change" [basis]="tile.basis" data-testid="metric-change" />
            } @else {
              <!-- The tile keeps its size while its figures load: nothing below it moves. -->
              <span class="value"><span class="skeleton-line value-skeleton"></span></span>
              <span class="delta"><span class="skeleton-line basis-skeleton"></span></span>
            }
            <div class="spark" data-testid="metric-spark">
              @if (tile.spark; as spark) {
                <mt-chart
                  [kind]="'line'"
                  variant="spark"
                  [height]="40"
                  [labels]="spark.labels"
                  [series]="[{ label: tile.label, values: spark.values }]"
                  [label]="spark.title"
                  [unit]="tile.kind"
                  [currency]="currency()"
                />
              }
            </div>
          </mat-card>
        }
      </div>
      @if (summary().loading()) {
        <span class="visually-hidden" role="status">Loading the key metrics</span>
      }
    </section>
  `,
  styles: `
    .metrics-grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 190px), 1fr));
      gap: 12px;
    }
    .metric {
      padding: 12px 16px 8px;
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
    }
    .metric.highlight {
      border-color: var(--mat-sys-primary);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .metric.highlight .delta-basis {
      color: inherit;
    }
    .label {
      font-size: 0.8rem;
      color: inherit;
    }
    .value {
      font-size: clamp(1.1rem, 4.6vw, 1.45rem);
      font-weight: 600;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .metric mt-delta {
      white-space: normal;
      font-size: 0.8rem;
    }
    .spark {
      height: 40px;
      margin-top: 4px;
    }
    .value-skeleton {
      display: inline-block;
      width: 70%;
      height: 1.1em;
    }
    .basis-skeleton {
      display: inline-block;
      width: 85%;
      height: 0.8em;
    }
    @media (max-width: 599.98px) {
      .metrics-grid {
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 8px;
      }
      .metric {
        padding: 10px 12px 6px;
      }
    }
  `,
})
export class MetricsGrid {
  private readonly api = inject(AnalyticsApi);
  readonly summary = input.required<Summary>();
  private readonly weeks = liveData('sales', () => this.api.weeklyGrowth(13));
  private readonly months = liveData('sales', () => this.api.monthlyGrowth(13));
  private readonly days = liveData('sales', () => this.api.lastDays(31));
  protected readonly currency = computed(() => this.summary().value()?.currency ?? 'USD');

  // The sparklines show whole periods: the one under way (this week, this month, today) would end every
  // line in a fall that is only the part of the period still to come.
  private readonly weekly = computed(() => {
    const weeks = (this.weeks.value()?.weeks ?? []).slice(0, -1);
    return {
      labels: weeks.map((week) => weekOf(week.weekStart)),
      revenue: weeks.map((week) => week.revenue),
      orders: weeks.map((week) => week.orders),
    };
  });
  private readonly monthly = computed(() => {
    const months = (this.months.value()?.months ?? []).slice(0, -1);
    return { labels: months.map((month) => monthYear(month.month)), revenue: months.map((month) => month.revenue) };
  });
  private readonly daily = computed(() => {
    const days = (this.days.value()?.days ?? []).slice(0, -1);
    return {
      labels: days.map((day) => shortDate(day.date)),
      revenue: days.map((day) => day.revenue),
      aov: days.map((day) => day.aov),
    };
  });

  protected readonly ready = computed(() => this.summary().value() !== undefined);
  protected readonly tiles = computed<Tile[]>(() => {
    const s = this.summary().value() ?? EMPTY_SUMMARY;
    const weekly = this.weekly();
    const monthly = this.monthly();
    const daily = this.daily();
    const spark = (labels: string[], values: Array<number | null>, title: string): Spark | null =>
      values.length ? { labels, values, title } : null;
    // Yesterday's total is the last of these: the last two weeks of whole days.
    const fullDays = { labels: daily.labels.slice(-14), values: daily.revenue.slice(-14) };
    return [
      {
        key: 'week-sales',
        label: 'Week sales',
        kind: 'money',
        value: s.week.current.revenue,
        change: s.week.change.revenue,
        basis: 'vs last week',
        spark: spark(weekly.labels, weekly.revenue, 'Revenue per week, the last 12 whole weeks'),
      },
      {
        key: 'month-sales',
        label: 'Month sales',
        kind: 'money',
        value: s.month.current.revenue,
        change: s.month.change.revenue,
        basis: 'vs last month',
        spark: spark(monthly.labels, monthly.revenue, 'Revenue per month, the last 12 whole months'),
      },
      {
        key: 'week-orders',
        label: "This week's orders",
        kind: 'count',
        value: s.week.current.orders,
        change: s.week.change.orders,
        basis: 'vs last week',
        spark: spark(weekly.labels, weekly.orders, 'Orders per week, the last 12 whole weeks'),
      },
      {
        key: 'aov',
        label: 'AOV (30 days)',
        kind: 'money',
        value: s.last30Days.current.aov,
        change: s.last30Days.change.aov,
        basis: 'vs prior 30 days',
        spark: spark(daily.labels, daily.aov, 'Average order value per day, the last 30 whole days'),
        highlight: true,
      },
      {
        key: '30-day-revenue',
        label: '30-day revenue',
        kind: 'money',
        value: s.last30Days.current.revenue,
        change: s.last30Days.change.revenue,
        basis: 'vs prior 30 days',
        spark: spark(daily.labels, daily.revenue, 'Revenue per day, the last 30 whole days'),
      },
      {
        key: 'yesterday-total',
        label: "Yesterday's total",
        kind: 'money',
        value: s.yesterday.current.revenue,
        change: s.yesterday.change.revenue,
        basis: 'vs day before',
        spark: spark(fullDays.labels, fullDays.values, 'Revenue per day, the last 14 full days'),
      },
    ];
  });
}

interface AovRow {
  key: string;
  label: string;
  previousLabel: string;
  comparison: Comparison;
}

/** Average order value for today, this week and this month, each beside its previous period. */
@Component({
  selector: 'mt-aov-section',
  imports: [MatCardModule, MoneyPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="aov-section">
      <mat-card-header><mat-card-title>Average order value</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (summary().error(); as error) {
          <mt-error-banner [message]="error" (retry)="summary().reload()" />
        }
        @for (row of rows(); track row.key) {
          <div class="aov-row" [attr.data-testid]="'aov-' + row.key">
            <span class="label">{{ row.label }}</span>
            <span class="aov-values">
              <span class="amount" data-testid="aov-current">{{ row.comparison.current.aov | money: currency() }}</span>
              <span class="muted"
                >{{ row.previousLabel }}
                <span class="amount" data-testid="aov-previous">{{
                  row.comparison.previous.aov | money: currency()
                }}</span></span
              >
            </span>
            <mt-delta [change]="row.comparison.change.aov" />
          </div>
        } @empty {
          @if (summary().loading()) {
            <mt-skeleton [lines]="3" label="average order values" />
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .aov-row {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr) auto;
      gap: 8px;
      align-items: center;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .aov-row:last-child {
      border-bottom: 0;
    }
    .aov-values {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .aov-values .amount:first-child {
      font-weight: 600;
      font-size: 1.1rem;
    }
  `,
})
export class AovSection {
  readonly summary = input.required<Summary>();
  protected readonly currency = computed(() => this.summary().value()?.currency ?? 'USD');
  protected readonly rows = computed<AovRow[]>(() => {
    const s = this.summary().value();
    if (!s) return [];
    return [
      { key: 'today', label: 'Today', previousLabel: 'yesterday', comparison: s.today },
      { key: 'week', label: 'This week', previousLabel: 'last week', comparison: s.week },
      { key: 'month', label: 'This month', previousLabel: 'last month', comparison: s.month },
    ];
  });
}

/** "15 → 23 orders": last period (same point) to this one, for the week and the month. */
@Component({
  selector: 'mt-comparison-card',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="comparison-card">
      <mat-card-header><mat-card-title>Week and month</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (summary().error(); as error) {
          <mt-error-banner [message]="error" (retry)="summary().reload()" />
        }
        @if (summary().value(); as s) {
          @for (
            period of [
              { key: 'week', label: 'Week', c: s.week },
              { key: 'month', label: 'Month', c: s.month },
            ];
            track period.key
          ) {
            <div class="comparison" [attr.data-testid]="'comparison-' + period.key">
              <span class="label">{{ period.label }} <span class="muted">(last → this, same point)</span></span>
              <span class="arrow-line" data-testid="comparison-orders"
                >{{ period.c.previous.orders | num }} → {{ period.c.current.orders | num }} orders</span
              >
              <mt-delta [change]="period.c.change.orders" />
              <span class="arrow-line amount" data-testid="comparison-revenue"
                >{{ period.c.previous.revenue | money: s.currency }} →
                {{ period.c.current.revenue | money: s.currency }}</span
              >
              <mt-delta [change]="period.c.change.revenue" />
            </div>
          }
        } @else if (summary().loading()) {
          <mt-skeleton [lines]="4" label="week and month comparison" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .comparison {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 4px 12px;
      padding: 8px 0;
      align-items: baseline;
    }
    .comparison .label {
      grid-column: 1 / -1;
      font-weight: 600;
    }
    .arrow-line {
      font-size: 1.15rem;
      overflow-wrap: anywhere;
    }
  `,
})
export class ComparisonCard {
  readonly summary = input.required<Summary>();
}
