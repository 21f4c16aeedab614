import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MoneyPipe, NumberPipe, shortDate } from '../core/format';
import { liveData } from '../core/live-data';
import { SpotifyApi } from '../core/spotify-api.service';
import { Chart, ChartSeries } from './chart';
import { ErrorBanner, Skeleton } from './ui';

/** Listening minutes of the last 12 weeks, with estimated revenue (× pool rate) and completes. */
@Component({
  selector: 'mt-spotify-minutes',
  imports: [MatCardModule, MoneyPipe, NumberPipe, Chart, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="spotify-minutes">
      <mat-card-header>
        <mat-card-title>Spotify: minutes, last 12 weeks</mat-card-title>
        @if (data.value(); as d) {
          <mat-card-subtitle
            >at {{ d.rate | money: 'USD' : 5 }}/min, {{ d.averageBookMinutes | num }} min per book</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          @if (hasMinutes()) {
            @defer (on viewport) {
              <mt-chart
                kind="bar"
                [labels]="labels()"
                [tooltipTitles]="titles()"
                [series]="series()"
                label="Listening minutes per week, last 12 weeks; the table below has the figures"
              />
            } @placeholder {
              <div class="chart-placeholder"></div>
            }
          } @else {
            <p class="empty-state">No listening minutes in these weeks yet: upload a weekly stats report.</p>
          }
          <div class="table-scroll">
            <table class="data-table card-rows" data-testid="minutes-table">
              <thead>
                <tr>
                  <th scope="col">Week of</th>
                  <th scope="col" class="num">Minutes</th>
                  <th scope="col" class="num">Est. revenue</th>
                  <th scope="col" class="num">Est. completes</th>
                </tr>
              </thead>
              <tbody>
                @for (week of d.weeks; track week.weekStart) {
                  <tr>
                    <th scope="row">{{ week.weekStart }}</th>
                    <td class="num" data-label="Minutes">{{ week.minutes | num }}</td>
                    <td class="num amount" data-label="Est. revenue">{{ week.estimatedRevenue | money: 'USD' }}</td>
                    <td class="num" data-label="Est. completes">{{ week.estimatedCompletes | num: 1 }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        } @else if (data.loading()) {
          <mt-skeleton [lines]="6" label="Spotify minutes" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .chart-placeholder {
      height: 220px;
    }
  `,
})
export class SpotifyMinutes {
  private readonly api = inject(SpotifyApi);
  readonly data = liveData('spotify', () => this.api.minutes(12));
  protected readonly labels = computed(() => (this.data.value()?.weeks ?? []).map((week) => shortDate(week.weekStart)));
  protected readonly titles = computed(() =>
    (this.data.value()?.weeks ?? []).map((week) => `Week of ${shortDate(week.weekStart)}`),
  );
  protected readonly series = computed<ChartSeries[]>(() => [
    { label: 'Minutes', values: (this.data.value()?.weeks ?? []).map((week) => week.minutes) },
  ]);
  protected readonly hasMinutes = computed(() => (this.data.value()?.weeks ?? []).some((week) => week.minutes > 0));
}
