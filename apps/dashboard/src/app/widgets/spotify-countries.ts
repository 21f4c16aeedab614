import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { ChangePipe, NumberPipe, shortDate, trendOf } from '../core/format';
import { liveData } from '../core/live-data';
import { SpotifyApi } from '../core/spotify-api.service';
import { ErrorBanner, Skeleton } from './ui';

const PHONE_WEEKS = 3;

/** Minutes per country over 8 weeks; each cell coloured by its change against the week before. */
@Component({
  selector: 'mt-spotify-countries',
  imports: [MatCardModule, NumberPipe, ChangePipe, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="spotify-countries">
      <mat-card-header><mat-card-title>Spotify: countries, last 8 weeks</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          @if (d.countries.length) {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Minutes per country and week">
              <table class="data-table compact" data-testid="spotify-countries-table">
                <thead>
                  <tr>
                    <th scope="col">Country</th>
                    @for (week of d.weeks; track week; let i = $index) {
                      <th scope="col" class="num" [class.phone-hidden]="older(i, d.weeks.length)">{{ day(week) }}</th>
                    }
                    <th scope="col" class="num">Total</th>
                  </tr>
                </thead>
                <tbody>
                  @for (row of d.countries; track row.country) {
                    <tr>
                      <th scope="row">{{ row.country }}</th>
                      @for (minutes of row.minutes; track $index) {
                        <td
                          [class]="'num wow-' + trend(row.change[$index])"
                          [class.phone-hidden]="older($index, row.minutes.length)"
                          [attr.title]="(row.change[$index] | change) + ' vs week before'"
                        >
                          {{ minutes | num }}
                        </td>
                      }
                      <td class="num total">{{ row.total | num }}</td>
                    </tr>
                  }
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Total</th>
                    @for (total of d.totals; track $index) {
                      <td class="num" [class.phone-hidden]="older($index, d.totals.length)">{{ total | num }}</td>
                    }
                    <td class="num total">{{ grandTotal(d.totals) | num }}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <p class="muted phone-note">On a phone: the newest {{ phoneWeeks }} weeks; totals over all 8.</p>
            <p class="muted legend">
              <span class="wow-up swatch"></span> up vs week before <span class="wow-down swatch"></span> down
            </p>
          } @else {
            <p class="empty-state">No country data for these weeks yet.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="6" label="Spotify countries" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .total {
      font-weight: 600;
    }
    .phone-note {
      display: none;
      font-size: 0.8rem;
    }
    @media (max-width: 599.98px) {
      .phone-note {
        display: block;
      }
      .data-table.compact th,
      .data-table.compact td {
        padding: 4px 3px;
        font-size: 0.78rem;
      }
    }
    .legend {
      display: flex;
      align-items: center;
      gap: 6px;
      font-size: 0.8rem;
    }
    .swatch {
      display: inline-block;
      width: 12px;
      height: 12px;
      border-radius: 2px;
    }
  `,
})
export class SpotifyCountries {
  private readonly api = inject(SpotifyApi);
  readonly data = liveData('spotify', () => this.api.countries(8));
  protected readonly day = shortDate;
  protected readonly phoneWeeks = PHONE_WEEKS;
  protected readonly trend = trendOf;

  /** On a phone the table keeps the newest weeks (and the 8-week total): the oldest ones make way. */
  protected older(index: number, weeks: number): boolean {
    return index < weeks - PHONE_WEEKS;
  }

  protected grandTotal(totals: number[]): number {
    return totals.reduce((sum, total) => sum + total, 0);
  }
}
