import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatSortModule, Sort } from '@angular/material/sort';
import { AnalyticsApi, ComparedRange } from '../core/analytics-api.service';
import { BusinessClock } from '../core/business-clock';
import { MoneyPipe, NumberPipe, countryName } from '../core/format';
import { liveDataFor } from '../core/live-data';
import { Delta, ErrorBanner, Skeleton } from './ui';

export interface CountryRow {
  country: string | null;
  name: string;
  orders: number;
  revenue: number;
  /** Revenue's percent change from the comparison range. */
  change?: number | null;
}

/** Rows sorted as MatSort asks; the API's order (orders, then revenue) when no column is chosen. */
export function sortCountries(rows: CountryRow[], sort: Sort): CountryRow[] {
  if (!sort.direction) return rows;
  const factor = sort.direction === 'asc' ? 1 : -1;
  const key = sort.active as 'name' | 'orders' | 'revenue';
  return [...rows].sort((a, b) => {
    const order = key === 'name' ? a.name.localeCompare(b.name) : a[key] - b[key];
    return order * factor;
  });
}

/** The ten countries with the most orders in the chosen range; columns sortable; card rows on a phone. */
@Component({
  selector: 'mt-top-countries',
  imports: [MatCardModule, MatSortModule, MoneyPipe, NumberPipe, Delta, ErrorBanner, Skeleton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <mat-card appearance="outlined" data-testid="top-countries">
      <mat-card-header>
        <mat-card-title>Top 10 countries</mat-card-title>
        @if (data.value(); as d) {
          <mat-card-subtitle data-testid="card-range"
            >{{ clock.describe(d.from, d.to) }} vs
            {{ clock.describe(d.previous.from, d.previous.to) }}</mat-card-subtitle
          >
        }
      </mat-card-header>
      <mat-card-content>
        @if (data.error(); as error) {
          <mt-error-banner [message]="error" (retry)="data.reload()" />
        }
        @if (data.value(); as d) {
          @if (rows().length) {
            <div class="table-scroll">
              <table
                class="data-table card-rows"
                matSort
                (matSortChange)="sort.set($event)"
                data-testid="countries-table"
              >
                <thead>
                  <tr>
                    <th scope="col" mat-sort-header="name">Country</th>
                    <th scope="col" mat-sort-header="orders" arrowPosition="before" class="num">Orders</th>
                    <th scope="col" mat-sort-header="revenue" arrowPosition="before" class="num">Revenue</th>
                    <th scope="col" class="num">Change</th>
                  </tr>
                </thead>
                <tbody>
                  @for (row of rows(); track row.country; let i = $index) {
                    <tr [attr.data-country]="row.country">
                      <th scope="row">
                        <span class="rank muted">{{ i + 1 }}</span>{{ row.name }}
                      </th>
                      <td class="num" data-label="Orders" data-testid="country-orders">{{ row.orders | num }}</td>
                      <td class="num amount" data-label="Revenue" data-testid="country-revenue">
                        {{ row.revenue | money: d.currency }}
                      </td>
                      <td class="num" data-label="Change" data-testid="country-change">
                        <mt-delta [change]="row.change" />
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="empty-state">No orders in this range.</p>
          }
        } @else if (data.loading()) {
          <mt-skeleton [lines]="8" label="top countries" />
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .rank {
      display: inline-block;
      min-width: 1.6em;
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class TopCountries {
  private readonly api = inject(AnalyticsApi);
  protected readonly clock = inject(BusinessClock);
  readonly range = input.required<ComparedRange>();
  readonly data = liveDataFor(
    'sales',
    () => this.range(),
    (range) => this.api.countries(range, 10),
  );
  protected readonly sort = signal<Sort>({ active: '', direction: '' });
  protected readonly rows = computed(() => {
    const countries = (this.data.value()?.countries ?? []).map((c) => ({
      country: c.country,
      name: countryName(c.country),
      orders: c.orders,
      revenue: c.revenue,
      change: c.change.revenue,
    }));
    return sortCountries(countries, this.sort());
  });
}
