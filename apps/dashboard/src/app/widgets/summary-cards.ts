import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { Comparison, MetricsSummaryResponse } from '@mt/contracts';
import { MoneyPipe, NumberPipe } from '../core/format';
import { LiveData } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

type Summary = LiveData<MetricsSummaryResponse>;

interface Tile {
  key: string;
  label: string;
  kind: 'money' | 'count';
  value: number | null;
  change: number | null;
  highlight?: boolean;
}

/** The metrics grid (SPEC §6): week and month sales, this week's orders, AOV, 30 days, yesterday. */
@Component({
  selector: 'mt-metrics-grid',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
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
            <span class="value" [class.amount]="tile.kind === 'money'" data-testid="metric-value">
              @if (tile.kind === 'money') {
                {{ tile.value | money: currency() }}
              } @else {
                {{ tile.value | num: 2 }}
              }
            </span>
            <mt-delta [change]="tile.change" />
          </mat-card>
        } @empty {
          @if (summary().loading()) {
            @for (n of [1, 2, 3, 4, 5, 6]; track n) {
              <mat-card appearance="outlined" class="metric"><mt-skeleton [lines]="2" label="metrics" /></mat-card>
            }
          }
        }
      </div>
    </section>
  `,
  styles: `
    .metrics-grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 170px), 1fr));
      gap: 12px;
    }
    .metric {
      padding: 12px 16px;
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
    .label {
      font-size: 0.8rem;
      color: inherit;
      opacity: 0.8;
    }
    .value {
      font-size: clamp(1rem, 4.6vw, 1.3rem);
      font-weight: 600;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
  `,
})
export class MetricsGrid {
  readonly summary = input.required<Summary>();
  protected readonly currency = computed(() => this.summary().value()?.currency ?? 'USD');
  protected readonly tiles = computed<Tile[]>(() => {
    const s = this.summary().value();
    if (!s) return [];
    return [
      {
        key: 'week-sales',
        label: 'Week sales',
        kind: 'money',
        value: s.week.current.revenue,
        change: s.week.change.revenue,
      },
      {
        key: 'month-sales',
        label: 'Month sales',
        kind: 'money',
        value: s.month.current.revenue,
        change: s.month.change.revenue,
      },
      {
        key: 'week-orders',
        label: "This week's orders",
        kind: 'count',
        value: s.week.current.orders,
        change: s.week.change.orders,
      },
      {
        key: 'aov',
        label: 'AOV (30 days)',
        kind: 'money',
        value: s.last30Days.current.aov,
        change: s.last30Days.change.aov,
        highlight: true,
      },
      {
        key: '30-day-revenue',
        label: '30-day revenue',
        kind: 'money',
        value: s.last30Days.current.revenue,
        change: s.last30Days.change.revenue,
      },
      {
        key: 'yesterday-total',
        label: "Yesterday's total",
        kind: 'money',
        value: s.yesterday.current.revenue,
        change: s.yesterday.change.revenue,
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
