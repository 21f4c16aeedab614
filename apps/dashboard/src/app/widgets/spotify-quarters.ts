import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { EMPTY } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { MoneyPipe, NumberPipe, UnlessPresentingPipe } from '../core/format';
import { liveData } from '../core/live-data';
import { SpotifyApi } from '../core/spotify-api.service';
import { ErrorBanner, Skeleton } from './ui';

/** Spotify quarters with their actual rate, the current rate and the quarter's projection with its band. */
@Component({
  selector: 'mt-spotify-quarters',
  imports: [MatCardModule, MatProgressBarModule, MoneyPipe, NumberPipe, UnlessPresentingPipe, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="spotify-quarters">
      <mat-card-header><mat-card-title>Spotify: quarters and projection</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          <div class="projection" data-testid="spotify-projection">
            <span class="label">{{ d.projection.quarter }} projection</span>
            <span class="big amount" data-testid="projection-expected">{{
              d.projection.revenue.expected | money: 'USD'
            }}</span>
            <span class="muted">
              range
              <span class="amount" data-testid="projection-low">{{ d.projection.revenue.low | money: 'USD' }}</span> –
              <span class="amount" data-testid="projection-high">{{ d.projection.revenue.high | money: 'USD' }}</span>
            </span>
            <span class="muted">
              {{ d.projection.minutesToDate | num }} minutes in {{ d.projection.daysElapsed }} of
              {{ d.projection.daysInQuarter }} days → {{ d.projection.projectedMinutes | num }} projected
            </span>
            <mat-progress-bar
              mode="determinate"
              [value]="elapsedPercent()"
              [attr.aria-label]="'Quarter ' + elapsedPercent() + '% elapsed'"
            />
            <!-- The source is the admin's own words, which often quote a quarter's revenue. -->
            <span class="muted" data-testid="current-rate"
              >Current rate {{ d.currentRate | money: 'USD' : 5 }}/min ·
              {{ rateSource() | unlessPresenting: 'source hidden while presenting' }}</span
            >
          </div>
          @if (d.quarters.length) {
            <div class="table-scroll">
              <table class="data-table card-rows" data-testid="quarters-table">
                <thead>
                  <tr>
                    <th scope="col">Quarter</th>
                    <th scope="col" class="num">Revenue</th>
                    <th scope="col" class="num">Minutes</th>
                    <th scope="col" class="num">Completes</th>
                    <th scope="col" class="num">Rate $/min</th>
                  </tr>
                </thead>
                <tbody>
                  @for (q of d.quarters; track q.quarter) {
                    <tr>
                      <th scope="row">{{ q.quarter }}</th>
                      <td class="num amount" data-label="Revenue">{{ q.revenue | money: 'USD' : 0 }}</td>
                      <td class="num" data-label="Minutes">{{ q.minutes | num }}</td>
                      <td class="num" data-label="Completes">{{ q.completes | num: 1 }}</td>
                      <td class="num amount" data-label="Rate $/min">{{ q.rate | money: 'USD' : 5 }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="empty-state">No quarter with revenue yet: upload a Spotify revenue report.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="6" label="Spotify quarters" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .projection {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-bottom: 16px;
    }
    .big {
      font-size: 1.8rem;
      font-weight: 600;
    }
    .label {
      font-size: 0.8rem;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class SpotifyQuarters {
  private readonly api = inject(SpotifyApi);
  readonly data = liveData('spotify', () => this.api.quarterlyProjection());
  private readonly auth = inject(AuthService);
  /** Settings are admin-only: viewers see "configured pool rate" instead of asking for a 403. */
  private readonly settings = liveData('spotify', () => (this.auth.isAdmin() ? this.api.settings() : EMPTY));
  protected readonly elapsedPercent = computed(() => {
    const projection = this.data.value()?.projection;
    return projection && projection.daysInQuarter > 0
      ? Math.round((projection.daysElapsed / projection.daysInQuarter) * 100)
      : 0;
  });
  protected readonly rateSource = computed(() => this.settings.value()?.poolRateSource ?? 'configured pool rate');
}
