import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { DailyGrowthResponse } from '@mt/contracts';
import { BusinessClock } from '../core/business-clock';
import { MoneyPipe, NumberPipe, dayWithWeekday } from '../core/format';
import { LiveData } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

/** Orders, revenue and AOV per day of the chosen range, newest first, with AOV change vs the day before. */
@Component({
  selector: 'mt-daily-aov',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="daily-aov">
      <mat-card-header>
        <mat-card-title>Day by day</mat-card-title>
        @if (daily().value(); as d) {
          <mat-card-subtitle data-testid="card-range"
            >{{ clock.describe(d.from, d.to) }} · AOV change vs the day before</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (daily().error(); as error) {
          <mt-error-banner [message]="error" (retry)="daily().reload()" />
        }
        @if (daily().value(); as d) {
          @if (hasOrders()) {
            <div class="table-scroll tall" tabindex="0" role="region" aria-label="Day by day figures">
              <table class="data-table card-rows" data-testid="daily-aov-table">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col" class="num">Orders</th>
                    <th scope="col" class="num">Revenue</th>
                    <th scope="col" class="num">AOV</th>
                    <th scope="col" class="num">Change</th>
                  </tr>
                </thead>
                <tbody>
                  @for (day of newestFirst(); track day.date) {
                    <tr [attr.data-date]="day.date">
                      <th scope="row">{{ weekday(day.date) }}</th>
                      <td class="num" data-label="Orders" data-testid="day-orders">{{ day.orders | num }}</td>
                      <td class="num amount" data-label="Revenue" data-testid="day-revenue">
                        {{ day.revenue | money: d.currency }}
                      </td>
                      <td class="num amount" data-label="AOV" data-testid="day-aov">
                        {{ day.aov | money: d.currency }}
                      </td>
                      <td class="num" data-label="Change"><mt-delta [change]="day.aovChange" /></td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="empty-state">No orders in this range.</p>
          }
        } @else if (daily().loading()) {
          <mt-skeleton [lines]="8" label="days" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .tall {
      max-height: 420px;
      overflow-y: auto;
    }
  `,
})
export class DailyAov {
  protected readonly clock = inject(BusinessClock);
  /** The range's days, shared with the range chart. */
  readonly daily = input.required<LiveData<DailyGrowthResponse>>();
  protected readonly newestFirst = computed(() => [...(this.daily().value()?.days ?? [])].reverse());
  protected readonly hasOrders = computed(() => this.newestFirst().some((day) => day.orders > 0));
  protected readonly weekday = (date: string) => dayWithWeekday(date, true);
}
