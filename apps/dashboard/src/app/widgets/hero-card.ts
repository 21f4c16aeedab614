import { ChangeDetectionStrategy, Component, Injector, afterNextRender, computed, effect, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import type { HourFigures, HourlyGrowthResponse } from '@mt/contracts';
import { AuthService } from '../core/auth.service';
import { AnalyticsApi } from '../core/analytics-api.service';
import { Connectivity } from '../core/connectivity.service';
import { FirstFigures } from '../core/first-figures';
import { afterPaint } from '../core/idle';
import { MASKED_AMOUNT, MoneyPipe, NumberPipe, clockTime, formatMoney } from '../core/format';
import { liveData } from '../core/live-data';
import { PreferencesService } from '../core/preferences.service';
import { Chart, ChartSeries } from './chart';
import { Delta, ErrorBanner, Skeleton } from './ui';

/** 0..23 (the hours a day's line is drawn over), labelled by the hour its figures reach. */
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/**
 * Revenue since midnight at the end of each local hour; null for hours not reached yet. On the 25-hour
 * autumn day the repeated hour's second entry (the later total) wins; on the 23-hour day the skipped
 * hour carries the total before it, so the line does not break.
 */
export function cumulativeByHour(hours: HourFigures[]): Array<number | null> {
  const byHour = new Map<number, number>();
  for (const figures of hours) byHour.set(figures.hour, figures.cumulativeRevenue);
  const last = hours.length ? hours[hours.length - 1]!.hour : -1;
  let carried = 0;
  return HOURS.map((hour) => {
    if (hour > last) return null;
    carried = byHour.get(hour) ?? carried;
    return carried;
  });
}

/** Today so far vs yesterday at the same wall-clock time, and yesterday's full day (SPEC §6). */
@Component({
  selector: 'mt-hero-card',
  imports: [MatCardModule, RouterLink, MoneyPipe, NumberPipe, Chart, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card class="hero" appearance="outlined" data-testid="hero-card">
      <mat-card-header>
        <mat-card-title>Today</mat-card-title>
        <!-- Its line is there before the figures, so that nothing under it moves when they arrive. -->
        <mat-card-subtitle data-testid="hero-as-of">
          @if (asOf(); as time) {
            as of {{ time }} ({{ data.value()?.timezone }})
          } @else {
            <span aria-hidden="true">&nbsp;</span>
          }
        </mat-card-subtitle>
      </mat-card-header>
      <mat-card-content>
        <div class="hero-body">
          <div class="hero-main">
            @if (data.error(); as error) {
              <mt-error-banner [message]="error" (retry)="data.reload()" />
            }
            @if (data.value(); as d) {
              <div class="hero-figures">
                <div class="hero-figure">
                  <span class="label">Orders</span>
                  <span class="big" data-testid="hero-orders">{{ d.today.orders | num }}</span>
                  <mt-delta [change]="d.change.orders" basis="vs yesterday" data-testid="hero-orders-change" />
                  <span class="muted"
                    >yesterday by now:
                    <span data-testid="hero-yesterday-orders">{{ d.yesterday.orders | num }}</span></span
                  >
                </div>
                <div class="hero-figure">
                  <span class="label">Revenue</span>
                  <span class="big amount" data-testid="hero-revenue">{{ d.today.revenue | money: d.currency }}</span>
                  <mt-delta [change]="d.change.revenue" basis="vs yesterday" data-testid="hero-revenue-change" />
                  <span class="muted"
                    >yesterday by now:
                    <span class="amount" data-testid="hero-yesterday-revenue">{{
                      d.yesterday.revenue | money: d.currency
                    }}</span></span
                  >
                </div>
              </div>
              <p class="hero-footer" data-testid="hero-yesterday-full">
                Yesterday, full day: {{ d.yesterdayFullDay.orders | num }} orders ·
                <span class="amount">{{ d.yesterdayFullDay.revenue | money: d.currency }}</span>
              </p>
              @if (d.today.orders === 0) {
                <p class="empty-state">No orders yet today.</p>
              }
              @for (warning of d.warnings; track warning.code) {
                <p class="warning" data-testid="hero-warning">
                  {{ warning.message }}
                  @if (isAdmin()) {
                    <a routerLink="/settings" fragment="currencies">Currencies</a>
                  }
                </p>
              }
            } @else if (data.loading()) {
              <mt-skeleton [lines]="5" label="today's sales" />
            }
          </div>
          <!-- Always there, at its full height: the figures never jump when the chart arrives. -->
          <div class="hourly" data-testid="hourly-chart">
            @if (hourly.value(); as h) {
              <mt-chart
                kind="line"
                [labels]="hourLabels"
                [tooltipTitles]="hourTitles"
                [series]="hourlySeries()"
                [label]="hourlyLabel()"
                unit="money"
                [currency]="h.currency"
                [height]="180"
              />
              <p class="legend muted" aria-hidden="true">
                <span class="key key-today"></span>today <span class="key key-yesterday"></span
                >{{ comparisonName(h).toLowerCase() }}, revenue since midnight
              </p>
            } @else if (hourly.error(); as error) {
              <p class="muted chart-placeholder">Revenue by hour is not available: {{ error }}</p>
            } @else {
              <div class="chart-placeholder"></div>
            }
          </div>
        </div>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .hero-figures {
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 16px;
    }
    .hero-figure {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
    }
    .big {
      font-size: clamp(1.6rem, 6vw, 2.6rem);
      font-weight: 600;
      line-height: 1.1;
      overflow-wrap: anywhere;
    }
    .label {
      text-transform: uppercase;
      font-size: 0.75rem;
      letter-spacing: 0.08em;
      color: var(--mat-sys-on-surface-variant);
    }
    .hero-body {
      display: grid;
      gap: 16px 32px;
    }
    .hero-main {
      min-height: 170px;
      min-width: 0;
    }
    .hourly {
      min-width: 0;
      min-height: 206px;
    }
    .chart-placeholder {
      height: 180px;
      margin: 0;
    }
    @media (min-width: 900px) {
      .hero-body {
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr);
        align-items: start;
      }
    }
    .legend {
      display: flex;
      align-items: center;
      gap: 6px;
      margin: 4px 0 0;
      font-size: 0.78rem;
    }
    .key {
      display: inline-block;
      width: 16px;
      height: 0;
      border-top: 2px solid var(--mat-sys-primary);
    }
    .key-yesterday {
      margin-left: 8px;
      border-top: 2px dashed var(--mat-sys-outline);
    }
    .hero-footer {
      margin: 16px 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class HeroCard {
  private readonly api = inject(AnalyticsApi);
  private readonly preferences = inject(PreferencesService);
  protected readonly isAdmin = inject(AuthService).isAdmin;
  readonly data = liveData('sales', () => this.api.todayVsYesterday());
  readonly hourly = liveData('sales', () => this.api.hourlyToday());
  /** A point is the revenue by the end of its hour: 01:00 … 24:00. */
  protected readonly hourLabels = HOURS.map((hour) => hourLabel(hour + 1));
  protected readonly hourTitles = this.hourLabels.map((label) => `Until ${label}`);
  protected readonly hourlySeries = computed<ChartSeries[]>(() => {
    const answer = this.hourly.value();
    if (!answer) return [];
    return [
      { label: 'Today', values: cumulativeByHour(answer.hours) },
      { label: this.comparisonName(answer), values: cumulativeByHour(answer.comparison.hours), comparison: true },
    ];
  });
  /** What the chart says to a screen reader: the two totals, unless amounts are hidden. */
  protected readonly hourlyLabel = computed(() => {
    const answer = this.hourly.value();
    if (!answer) return '';
    const money = (amount: number) =>
      this.preferences.presenterMode() ? MASKED_AMOUNT : formatMoney(amount, answer.currency);
    const today = answer.hours.at(-1)?.cumulativeRevenue ?? 0;
    const yesterday = answer.comparison.hours.at(-1)?.cumulativeRevenue ?? 0;
    return `Revenue by hour since midnight: today ${money(today)} so far; ${this.comparisonName(answer).toLowerCase()} ${money(yesterday)} for the whole day.`;
  });
  constructor() {
    // The offline bar tells the time of the figures on the page: the hero's.
    const connectivity = inject(Connectivity);
    effect(() => {
      const asOf = this.data.value()?.asOf;
      if (asOf) connectivity.figuresAsOf.set(asOf);
    });
    // The first screen's figures, or why there are none: once they are painted, the rest may come, in
    // tasks of their own (not in the render that draws the hero).
    const firstFigures = inject(FirstFigures);
    const injector = inject(Injector);
    firstFigures.expect();
    const drawn = effect(() => {
      if (this.data.loading()) return;
      drawn.destroy();
      afterNextRender(() => void afterPaint().then(() => firstFigures.markDrawn()), { injector });
    });
  }

  protected readonly asOf = computed(() => {
    const value = this.data.value();
    return value ? clockTime(value.asOf, value.timezone) : null;
  });

  protected comparisonName(answer: HourlyGrowthResponse): string {
    return answer.compare === 'yoy' ? 'A year ago' : 'Yesterday';
  }
}
