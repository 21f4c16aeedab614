import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { Router } from '@angular/router';
import { AnalyticsApi, ComparedRange } from '../core/analytics-api.service';
import { AuthService } from '../core/auth.service';
import { BusinessClock } from '../core/business-clock';
import { FirstFigures } from '../core/first-figures';
import { liveData } from '../core/live-data';
import { RangeView, parseRangeQuery, rangeQueryParams, resolveRange, viewLabel } from '../core/range';
import { RangeBar } from '../widgets/range-bar';
import { RangeSection } from '../widgets/range-section';
import { HeroCard } from '../widgets/hero-card';
import { AovSection, ComparisonCard, MetricsGrid } from '../widgets/summary-cards';
import { SpotifyMoney } from '../widgets/spotify-money';
import { SpotifyQuarters } from '../widgets/spotify-quarters';
import { SpotifyMinutes } from '../widgets/spotify-minutes';
import { SpotifyCountries } from '../widgets/spotify-countries';
import { UploadPanel } from '../widgets/upload-panel';
import { SourcesCard } from '../widgets/sources-card';
import { GoalCard } from '../widgets/goal-card';
import { AlertsCard } from '../widgets/alerts-card';
import { TitlesCard } from '../widgets/titles-card';

/**
 * The one page (SPEC §6): today's hero and the fixed-period tiles on top, then every card with a window
 * on the range of the URL (`?range=last-month&compare=yoy`, `?from=…&to=…`), so that a link or a reload
 * opens the same view.
 */
@Component({
  selector: 'mt-dashboard-page',
  imports: [
    RangeBar,
    RangeSection,
    HeroCard,
    MetricsGrid,
    AovSection,
    ComparisonCard,
    SpotifyQuarters,
    SpotifyMoney,
    SpotifyMinutes,
    SpotifyCountries,
    UploadPanel,
    SourcesCard,
    GoalCard,
    AlertsCard,
    TitlesCard,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="visually-hidden">Sales dashboard</h1>
    <mt-range-bar [view]="view()" [days]="days()" (viewChange)="show($event)" />
    <mt-hero-card />
    <!--
      Each part after the hero is built when it comes near the screen, in a task of its own: a phone
      loading the page draws the hero first, and never waits for Spotify tables it has not scrolled to.
    -->
    <!-- The tiles are on a phone's first screen too: they come in a task after the hero's figures. -->
    @if (firstFigures.drawn()) {
      @defer (on viewport) {
        <mt-metrics-grid [summary]="summary" />
      } @placeholder {
        <div class="placeholder metrics-placeholder" aria-hidden="true"></div>
      }
    } @else {
      <div class="placeholder metrics-placeholder" aria-hidden="true"></div>
    }
    @defer (on viewport) {
      @if (compared(); as range) {
        <mt-range-section [range]="range" [title]="title()" />
      }
    } @placeholder {
      <div class="placeholder range-placeholder" aria-hidden="true"></div>
    }
    @defer (on viewport) {
      <div class="two-columns">
        <mt-aov-section [summary]="summary" />
        <div class="stack">
          <mt-comparison-card [summary]="summary" />
          <mt-goal-card />
        </div>
      </div>
      <mt-alerts-card />
    } @placeholder {
      <div class="placeholder" aria-hidden="true"></div>
    }
    @defer (on viewport) {
      @if (days(); as days) {
        <mt-titles-card [range]="days" />
      }
    } @placeholder {
      <div class="placeholder" aria-hidden="true"></div>
    }
    @defer (on viewport) {
      <section class="stack" aria-labelledby="spotify-title">
        <h2 id="spotify-title" class="section-title">Spotify</h2>
        <div class="two-columns">
          <mt-spotify-quarters />
          <mt-spotify-money />
        </div>
        <mt-spotify-minutes />
        <mt-spotify-countries />
      </section>
    } @placeholder {
      <div class="placeholder" aria-hidden="true"></div>
    }
    @defer (on viewport) {
      @if (auth.isAdmin()) {
        <mt-upload-panel />
      }
      <mt-sources-card />
    } @placeholder {
      <div class="placeholder" aria-hidden="true"></div>
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
    .placeholder {
      min-height: 480px;
    }
    .range-placeholder {
      min-height: 900px;
    }
    /* The grid's height: its title and one row of six tiles, two rows of three to five, three of two. */
    .metrics-placeholder {
      min-height: 178px;
    }
    @media (max-width: 1231.98px) {
      .metrics-placeholder {
        min-height: 310px;
      }
    }
    @media (max-width: 599.98px) {
      .metrics-placeholder {
        min-height: 437px;
      }
    }
  `,
})
export class DashboardPage {
  private readonly api = inject(AnalyticsApi);
  private readonly router = inject(Router);
  private readonly clock = inject(BusinessClock);
  protected readonly auth = inject(AuthService);
  protected readonly firstFigures = inject(FirstFigures);
  /** The URL's query parameters (bound by the router). */
  readonly range = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly compare = input<string>();
  protected readonly view = computed(() =>
    parseRangeQuery({ range: this.range(), from: this.from(), to: this.to(), compare: this.compare() }),
  );
  /** The view's days today, once the business zone is known. */
  protected readonly days = computed(() => {
    const today = this.clock.today();
    return today ? resolveRange(this.view(), today) : null;
  });
  protected readonly compared = computed<ComparedRange | null>(() => {
    const days = this.days();
    return days ? { ...days, compare: this.view().compare } : null;
  });
  protected readonly title = computed(() => viewLabel(this.view()));
  /** Shared by the metrics grid, the AOV section and the comparison card: one request for all three. */
  protected readonly summary = liveData('sales', () => this.api.metricsSummary());

  protected show(view: RangeView): void {
    void this.router.navigate([], { queryParams: rangeQueryParams(view), queryParamsHandling: 'merge' });
  }
}
