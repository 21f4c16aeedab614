import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { DateRange } from '../core/analytics-api.service';
import { MoneyPipe, NumberPipe, countryName, shortDate } from '../core/format';
import { liveDataFor } from '../core/live-data';
import { TitlesApi } from '../core/titles-api.service';
import { toIsoDay } from '../core/range';
import { Chart, ChartSeries } from '../widgets/chart';
import { Delta, ErrorBanner, Skeleton } from '../widgets/ui';

/** The range when the link names none: this month so far, by the browser's calendar. */
function monthToDate(today = new Date()): DateRange {
  return { from: toIsoDay(new Date(today.getFullYear(), today.getMonth(), 1)), to: toIsoDay(today) };
}

/**
 * One title over a range (`/titles/:id?from=&to=`, the month so far without one): its revenue per day
 * against the previous period, its platforms and countries, and its Spotify minutes and royalties.
 */
@Component({
  selector: 'mt-title-page',
  imports: [MatCardModule, RouterLink, MoneyPipe, NumberPipe, Chart, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a routerLink="/" [queryParams]="range()" class="back-link">← Dashboard</a>
    @if (data.error(); as error) {
      <mt-error-banner [message]="error" (retry)="data.reload()" />
    }
    @if (data.value(); as d) {
      <mat-card appearance="outlined" data-testid="title-page">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ d.title }}</h1></mat-card-title
          >
          <mat-card-subtitle
            >{{ range().from }} – {{ range().to }} vs the {{ d.daily.length }} days before</mat-card-subtitle
          >
        </mat-card-header>
        <mat-card-content>
          <div class="figures">
            <div>
              <span class="label">Revenue</span
              ><strong data-testid="title-total-revenue">{{ d.total.revenue | money: d.currency }}</strong>
              <mt-delta [change]="d.total.change" />
            </div>
            <div><span class="label">Before</span>{{ d.total.previousRevenue | money: d.currency }}</div>
            <div>
              <span class="label">Units</span><strong>{{ d.total.units | num }}</strong>
            </div>
            <div>
              <span class="label">Orders</span><strong>{{ d.total.orders | num }}</strong>
            </div>
          </div>
          <p class="muted">
            @for (edition of d.editions; track edition.id) {
              <span class="edition">{{ edition.format }}</span>
            }
          </p>
          @defer (on viewport) {
            <mt-chart
              kind="line"
              [labels]="labels()"
              [series]="series()"
              label="Revenue per day, with the previous period dashed"
              unit="money"
              [currency]="d.currency"
            />
          } @placeholder {
            <div class="chart-placeholder"></div>
          }
        </mat-card-content>
      </mat-card>
      <div class="two-columns">
        @for (split of splits(); track split.testId) {
          <mat-card appearance="outlined">
            <mat-card-header
              ><mat-card-title>{{ split.heading }}</mat-card-title></mat-card-header
            >
            <mat-card-content>
              <div class="table-scroll">
                <table class="data-table" [attr.data-testid]="split.testId">
                  <thead>
                    <tr>
                      <th scope="col">{{ split.column }}</th>
                      <th scope="col" class="num">Units</th>
                      <th scope="col" class="num">Revenue</th>
                    </tr>
                  </thead>
                  <tbody>
                    @for (row of split.rows; track row.name) {
                      <tr>
                        <th scope="row">{{ row.name }}</th>
                        <td class="num">{{ row.units | num }}</td>
                        <td class="num amount">{{ row.revenue | money: d.currency }}</td>
                      </tr>
                    } @empty {
                      <tr>
                        <td colspan="3" class="empty-state">No sales in this range.</td>
                      </tr>
                    }
                  </tbody>
                </table>
              </div>
            </mat-card-content>
          </mat-card>
        }
      </div>
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title>Spotify</mat-card-title>
          <mat-card-subtitle
            >estimated at {{ d.spotify.rate | money: 'USD' : 5 }}/min; confirmed once statements
            arrive</mat-card-subtitle
          >
        </mat-card-header>
        <mat-card-content>
          <table class="data-table" data-testid="title-spotify">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" class="num">Minutes</th>
                <th scope="col" class="num">Estimated</th>
                <th scope="col" class="num">Confirmed</th>
              </tr>
            </thead>
            <tbody>
              @for (m of d.spotify.months; track m.month) {
                <tr>
                  <th scope="row">{{ m.month }}</th>
                  <td class="num">{{ m.minutes | num }}</td>
                  <td class="num amount">{{ m.estimatedRevenue | money: 'USD' }}</td>
                  <td class="num amount">
                    {{ m.confirmedRevenue === null ? '—' : (m.confirmedRevenue | money: 'USD') }}
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </mat-card-content>
      </mat-card>
    } @else if (data.loading()) {
      <mt-skeleton [lines]="8" label="title" />
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 16px;
    }
    .figures {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
      gap: 12px;
      margin-bottom: 8px;
    }
    .figures > div {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    .label {
      font-size: 0.8rem;
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: var(--mat-sys-on-surface-variant);
    }
    .edition {
      margin-right: 8px;
    }
    .chart-placeholder {
      height: 220px;
    }
    .two-columns {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 360px), 1fr));
      gap: 16px;
      align-items: start;
    }
  `,
})
export class TitlePage {
  private readonly api = inject(TitlesApi);
  /** Route parameter and query (withComponentInputBinding). */
  readonly id = input.required<string>();
  readonly from = input<string | undefined>();
  readonly to = input<string | undefined>();
  protected readonly range = computed<DateRange>(() => {
    const from = this.from();
    const to = this.to();
    return from && to ? { from, to } : monthToDate();
  });
  readonly data = liveDataFor(
    'sales',
    () => ({ id: Number(this.id()), range: this.range() }),
    (p) => this.api.title(p.id, p.range),
  );
  protected readonly labels = computed(() => (this.data.value()?.daily ?? []).map((day) => shortDate(day.date)));
  protected readonly series = computed<ChartSeries[]>(() => [
    { label: 'Revenue', values: (this.data.value()?.daily ?? []).map((day) => day.revenue) },
    {
      label: 'Previous period',
      values: (this.data.value()?.previousDaily ?? []).map((day) => day.revenue),
      comparison: true,
    },
  ]);
  /** The platform and country tables, one shape. */
  protected readonly splits = computed(() => {
    const d = this.data.value();
    return [
      {
        heading: 'Platforms',
        column: 'Platform',
        testId: 'title-platforms',
        rows: (d?.platforms ?? []).map((p) => ({ name: p.platform, units: p.units, revenue: p.revenue })),
      },
      {
        heading: 'Countries',
        column: 'Country',
        testId: 'title-countries',
        rows: (d?.countries ?? []).map((c) => ({ name: countryName(c.country), units: c.units, revenue: c.revenue })),
      },
    ];
  });
}
