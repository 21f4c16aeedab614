import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import type { SpotifySource } from '@mt/contracts';
import { MoneyPipe, NumberPipe, UnlessPresentingPipe } from '../core/format';
import { liveData } from '../core/live-data';
import { SpotifyApi } from '../core/spotify-api.service';
import { Chart, ChartSeries } from './chart';
import { ErrorBanner, Skeleton } from './ui';

/** Where a confirmed figure came from, for its tooltip: the file, when and by whom. */
export function describeSource(source: SpotifySource | null): string {
  if (!source) return 'estimate: minutes × the current rate, no statement yet';
  if (source.kind === 'demo' || source.kind === 'manual') return `${source.kind} data`;
  const when = source.at ? ` on ${source.at.slice(0, 10)}` : '';
  return `${source.kind === 'statement' ? 'statement' : 'revenue report'} ${source.label}, uploaded${when}${
    source.by ? ` by ${source.by}` : ''
  }`;
}

/**
 * Spotify money as it arrives (SPEC §2 "Estimated → confirmed"): each month's estimate beside what its
 * statement paid, the difference, and the next payment with its due date.
 */
@Component({
  selector: 'mt-spotify-money',
  imports: [MatCardModule, MoneyPipe, NumberPipe, UnlessPresentingPipe, Chart, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="spotify-money">
      <mat-card-header><mat-card-title>Spotify money: estimated and confirmed</mat-card-title></mat-card-header>
      <mat-card-content>
        @if (months.error() ?? statements.error(); as error) {
          <mt-error-banner [message]="error" (retry)="months.reload(); statements.reload()" />
        }
        @if (statements.value(); as s) {
          @if (s.upcoming[0]; as next) {
            <p class="next" data-testid="next-payment">
              Next payment {{ next.period }}:
              <span class="amount">{{ next.amount | money: s.currency }}</span>
              due {{ next.dueDate }}{{ next.basis === 'estimate' ? ' (estimate, no statement yet)' : '' }}
            </p>
          } @else {
            <p class="muted" data-testid="next-payment">No payment due.</p>
          }
        }
        @if (months.value(); as d) {
          @defer (on viewport) {
            <mt-chart
              kind="bar"
              unit="money"
              [currency]="d.currency"
              [labels]="labels()"
              [series]="series()"
              label="Spotify money per month, estimated and confirmed; the table below has the figures"
            />
          } @placeholder {
            <div class="chart-placeholder"></div>
          }
          <div class="table-scroll">
            <table class="data-table card-rows" data-testid="months-table">
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col" class="num">Minutes</th>
                  <th scope="col" class="num">Estimated</th>
                  <th scope="col" class="num">Confirmed</th>
                  <th scope="col" class="num">Difference</th>
                </tr>
              </thead>
              <tbody>
                @for (m of d.months; track m.month) {
                  <tr data-testid="month-row" [attr.data-status]="m.status">
                    <th scope="row">
                      {{ m.month }}
                      <span
                        class="status"
                        data-testid="month-status"
                        [attr.title]="describe(m.source) | unlessPresenting: 'source hidden while presenting'"
                        >{{ m.status }}</span
                      >
                    </th>
                    <td class="num" data-label="Minutes">{{ m.minutes | num }}</td>
                    <td class="num amount" data-label="Estimated">{{ m.estimatedRevenue | money: d.currency }}</td>
                    <td class="num amount" data-label="Confirmed">
                      {{ m.confirmedRevenue === null ? '—' : (m.confirmedRevenue | money: d.currency) }}
                    </td>
                    <td class="num amount" data-label="Difference">
                      {{ m.difference === null ? '—' : (m.difference | money: d.currency) }}
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        } @else if (months.loading()) {
          <mt-skeleton [lines]="6" label="Spotify money" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .chart-placeholder {
      height: 220px;
    }
    .next {
      font-weight: 600;
    }
    .status {
      margin-left: 6px;
      font-size: 0.75rem;
      color: var(--mat-sys-on-surface-variant);
      cursor: help;
    }
  `,
})
export class SpotifyMoney {
  private readonly api = inject(SpotifyApi);
  readonly months = liveData('spotify', () => this.api.months(12));
  readonly statements = liveData('spotify', () => this.api.statements());
  protected readonly describe = describeSource;
  protected readonly labels = computed(() => (this.months.value()?.months ?? []).map((month) => month.month));
  protected readonly series = computed<ChartSeries[]>(() => {
    const months = this.months.value()?.months ?? [];
    return [
      { label: 'Estimated', values: months.map((month) => month.estimatedRevenue), comparison: true },
      { label: 'Confirmed', values: months.map((month) => month.confirmedRevenue) },
    ];
  });
}
