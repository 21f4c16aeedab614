import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { AnalyticsApi } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe } from '../core/format';
import { liveData } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

/** Orders, revenue and AOV per day for 30 days, newest first, with AOV change vs the day before. */
@Component({
  selector: 'mt-daily-aov',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="daily-aov">
      <mat-card-header><mat-card-title>Daily AOV, 30 days</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          @if (hasOrders()) {
            <div class="table-scroll tall" tabindex="0" role="region" aria-label="Daily average order value">
              <table class="data-table" data-testid="daily-aov-table">
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
                      <th scope="row">{{ day.date }}</th>
                      <td class="num" data-testid="day-orders">{{ day.orders | num }}</td>
                      <td class="num amount" data-testid="day-revenue">{{ day.revenue | money: d.currency }}</td>
                      <td class="num amount" data-testid="day-aov">{{ day.aov | money: d.currency }}</td>
                      <td class="num"><mt-delta [change]="day.aovChange" /></td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="empty-state">No orders yet in the last 30 days.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="8" label="daily AOV" />
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
  private readonly api = inject(AnalyticsApi);
  readonly data = liveData('sales', () => this.api.dailyGrowth(30));
  protected readonly newestFirst = computed(() => [...(this.data.value()?.days ?? [])].reverse());
  protected readonly hasOrders = computed(() => this.newestFirst().some((day) => day.orders > 0));
}
