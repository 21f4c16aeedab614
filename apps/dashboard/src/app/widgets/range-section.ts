import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { AnalyticsApi, ComparedRange } from '../core/analytics-api.service';
import { liveDataFor } from '../core/live-data';
import { DailyAov } from './daily-aov';
import { PlatformsCard } from './platforms-card';
import { RangeComparison } from './range-comparison';
import { TopCountries } from './top-countries';

/** Every card with a window, on the chosen range: the comparison and its chart, countries, platforms, days. */
@Component({
  selector: 'mt-range-section',
  imports: [RangeComparison, TopCountries, PlatformsCard, DailyAov],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="range-section" aria-labelledby="range-title" data-testid="range-section">
      <h2 id="range-title" class="section-title">Sales · {{ title() }}</h2>
      <mt-range-comparison [range]="range()" [title]="title()" [daily]="daily" />
      <div class="two-columns">
        <mt-top-countries [range]="range()" />
        <mt-platforms-card [range]="range()" />
      </div>
      <mt-daily-aov [daily]="daily" />
    </section>
  `,
  styles: `
    .range-section {
      display: flex;
      flex-direction: column;
      gap: 16px;
    }
  `,
})
export class RangeSection {
  private readonly api = inject(AnalyticsApi);
  readonly range = input.required<ComparedRange>();
  readonly title = input.required<string>();
  /** One request for the range's days: the chart and the table read the same answer. */
  protected readonly daily = liveDataFor(
    'sales',
    () => this.range(),
    (range) => this.api.dailyGrowth(range),
  );
}
