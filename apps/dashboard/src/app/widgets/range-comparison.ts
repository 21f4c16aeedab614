import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { DailyGrowthResponse } from '@mt/contracts';
import { AnalyticsApi, ComparedRange } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe, dayWithWeekday } from '../core/format';
import { LiveData, liveDataFor } from '../core/live-data';
import { COMPARE_LABELS, describeWindow } from '../core/range';
import { Chart, ChartSeries } from './chart';
import { Delta, ErrorBanner, Skeleton } from './ui';

/**
 * The chosen range against its comparison (the equally long range before, or 364 days back): orders,
 * revenue and AOV, and the daily revenue of both as lines, the comparison dashed.
 */
@Component({
  selector: 'mt-range-comparison',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Chart, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="range-card">
      <mat-card-header>
        <mat-card-title>{{ title() }}</mat-card-title>
        @if (data.value(); as d) {
          <mat-card-subtitle data-testid="range-windows"
            >{{ describe(d.current.from, d.current.to, d.timezone) }} vs
            {{ describe(d.previous.from, d.previous.to, d.timezone) }} ({{ compareLabel() }})</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <div class="range-figures">
            <div class="range-figure" data-testid="range-orders">
              <span class="label">Orders</span>
              <span class="line"
                >{{ d.previous.orders | num }} → <strong>{{ d.current.orders | num }}</strong> orders</span
              >
              <mt-delta [change]="d.change.orders" />
            </div>
            <div class="range-figure" data-testid="range-revenue">
              <span class="label">Revenue</span>
              <span class="line amount"
                >{{ d.previous.revenue | money: d.currency }} →
                <strong>{{ d.current.revenue | money: d.currency }}</strong></span
              >
              <mt-delta [change]="d.change.revenue" />
            </div>
            <div class="range-figure" data-testid="range-aov">
              <span class="label">AOV</span>
              <span class="line amount"
                >{{ d.previous.aov | money: d.currency }} →
                <strong>{{ d.current.aov | money: d.currency }}</strong></span
              >
              <mt-delta [change]="d.change.aov" />
            </div>
          </div>
          @if (isEmpty(d.current)) {
            <p class="empty-state">This range has not started yet.</p>
          } @else if (d.current.orders === 0) {
            <p class="empty-state">No orders in this range.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="3" label="range comparison" />
        }
        <div class="daily-chart" data-testid="range-chart">
          @if (daily().value(); as g) {
            @if (g.days.length) {
              <mt-chart
                kind="line"
                [labels]="chartLabels()"
                [series]="chartSeries()"
                [label]="'Revenue per day of the range, with the ' + compareLabel() + ' dashed'"
                unit="money"
                [currency]="g.currency"
                [height]="200"
              />
            }
          } @else if (daily().loading()) {
            <div class="chart-placeholder"></div>
          }
        </div>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .range-figures {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr));
      gap: 16px;
    }
    .range-figure {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
    }
    .line {
      font-size: 1.2rem;
      overflow-wrap: anywhere;
    }
    .label {
      font-size: 0.8rem;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: var(--mat-sys-on-surface-variant);
    }
    .daily-chart {
      margin-top: 16px;
    }
    .chart-placeholder {
      height: 200px;
    }
  `,
})
export class RangeComparison {
  private readonly api = inject(AnalyticsApi);
  readonly range = input.required<ComparedRange>();
  /** "Last month", "1 Nov – 7 Nov 2026". */
  readonly title = input.required<string>();
  /** The range's days, shared with the daily table: one request for both. */
  readonly daily = input.required<LiveData<DailyGrowthResponse>>();
  readonly data = liveDataFor(
    'sales',
    () => this.range(),
    (range) => this.api.range(range),
  );
  protected readonly compareLabel = computed(() => COMPARE_LABELS[this.range().compare]);
  protected readonly describe = describeWindow;
  /** A range that starts after now is cut to nothing. */
  protected isEmpty(window: { from: string; to: string }): boolean {
    return new Date(window.to).getTime() <= new Date(window.from).getTime();
  }
  protected readonly chartLabels = computed(() =>
    (this.daily().value()?.days ?? []).map((day) => dayWithWeekday(day.date)),
  );
  protected readonly chartSeries = computed<ChartSeries[]>(() => {
    const answer = this.daily().value();
    if (!answer) return [];
    const current = answer.days;
    const comparison = answer.comparisonDays;
    return [
      {
        label: 'This range',
        values: current.map((day) => day.revenue),
        pointLabels: current.map((day) => dayWithWeekday(day.date, true)),
      },
      {
        label: 'Comparison',
        values: comparison.map((day) => day.revenue),
        pointLabels: comparison.map((day) => dayWithWeekday(day.date, true)),
        comparison: true,
      },
    ];
  });
}
