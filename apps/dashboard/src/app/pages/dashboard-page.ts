import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { DateRange, AnalyticsApi } from '../core/analytics-api.service';
import { AuthService } from '../core/auth.service';
import { liveData } from '../core/live-data';
import { monthToDate, RangeBar } from '../widgets/range-bar';
import { RangeComparison } from '../widgets/range-comparison';
import { HeroCard } from '../widgets/hero-card';
import { AovSection, ComparisonCard, MetricsGrid } from '../widgets/summary-cards';
import { SpotifyQuarters } from '../widgets/spotify-quarters';
import { SpotifyMinutes } from '../widgets/spotify-minutes';
import { SpotifyCountries } from '../widgets/spotify-countries';
import { TopCountries } from '../widgets/top-countries';
import { DailyAov } from '../widgets/daily-aov';
import { PlatformsCard } from '../widgets/platforms-card';
import { UploadPanel } from '../widgets/upload-panel';
import { SourcesCard } from '../widgets/sources-card';
import { GoalCard } from '../widgets/goal-card';
import { AlertsCard } from '../widgets/alerts-card';
import { TitlesCard } from '../widgets/titles-card';

/** The one page, top to bottom in the order of SPEC §6. */
@Component({
  selector: 'mt-dashboard-page',
  imports: [
    RangeBar,
    RangeComparison,
    HeroCard,
    MetricsGrid,
    AovSection,
    ComparisonCard,
    SpotifyQuarters,
    SpotifyMinutes,
    SpotifyCountries,
    TopCountries,
    DailyAov,
    PlatformsCard,
    UploadPanel,
    SourcesCard,
    GoalCard,
    AlertsCard,
    TitlesCard,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="visually-hidden">Sales dashboard</h1>
    <mt-range-bar [(range)]="range" [(yearOverYear)]="yearOverYear" />
    @if (range() ?? (yearOverYear() ? monthSoFar : null); as chosen) {
      <mt-range-comparison [range]="chosen" [yearOverYear]="yearOverYear()" />
    } @else {
      <mt-hero-card />
      <mt-metrics-grid [summary]="summary" />
      <div class="two-columns">
        <mt-aov-section [summary]="summary" />
        <div class="stack">
          <mt-comparison-card [summary]="summary" />
          <mt-goal-card />
        </div>
      </div>
    }
    <mt-alerts-card />
    <!-- Below the fold: loaded once the sales cards are on their way, so that their requests go first. -->
    @defer (on idle) {
      <mt-titles-card [range]="range() ?? monthSoFar" />
      <h2 class="section-title">Spotify</h2>
      <mt-spotify-quarters />
      <div class="two-columns">
        <mt-spotify-minutes />
        <mt-spotify-countries />
      </div>
      <h2 class="section-title">Sales breakdown</h2>
      <div class="two-columns">
        <mt-top-countries />
        <mt-daily-aov />
      </div>
      <mt-platforms-card />
      @if (auth.isAdmin()) {
        <mt-upload-panel />
      }
      <mt-sources-card />
    } @placeholder {
      <div class="below-fold-placeholder" aria-hidden="true"></div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 16px;
    }
    .stack {
      display: flex;
      flex-direction: column;
      gap: 16px;
      min-width: 0;
    }
    .below-fold-placeholder {
      min-height: 100vh;
    }
    .two-columns {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
      gap: 16px;
      align-items: start;
    }
  `,
})
export class DashboardPage {
  private readonly api = inject(AnalyticsApi);
  protected readonly auth = inject(AuthService);
  readonly range = signal<DateRange | null>(null);
  readonly yearOverYear = signal(false);
  protected readonly monthSoFar = monthToDate();
  /** Shared by the metrics grid, the AOV section and the comparison card: one request for all three. */
  protected readonly summary = liveData('sales', () => this.api.metricsSummary());
}
