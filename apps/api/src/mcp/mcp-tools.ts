import { Injectable, PayloadTooLargeException } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service';
import { AlertEventsQuery } from '../alerts/alerts.dto';
import type { Principal } from '../auth/principal';
import { Clock, ClockQuery } from '../common/clock';
import {
  ChosenRangeQuery,
  CountriesQuery,
  DaysQuery,
  MonthsQuery,
  RangeQuery,
  WeeksQuery,
} from '../comparison/comparison.dto';
import { ComparisonService } from '../comparison/comparison.service';
import { AppConfig } from '../config/app-config';
import { FxRatesDto, FxRatesQueryDto } from '../fx/fx.dto';
import { FxService } from '../fx/fx.service';
import { HealthService } from '../health/health.service';
import { SourcesService } from '../orders/sources/sources.service';
import { SpotifyCountriesQuery, SpotifyMinutesQuery, SpotifyMonthsQuery } from '../spotify/spotify.dto';
import { SpotifyService } from '../spotify/spotify.service';
import { StatementsService } from '../spotify/statements.service';
import { CatalogueQuery, TitlesQuery } from '../titles/titles.dto';
import { CatalogueService } from '../titles/catalogue.service';
import { TitlesService } from '../titles/titles.service';
import { UploadHistoryQueryDto } from '../upload/upload.dto';
import { UploadService } from '../upload/upload.service';
import { McpImportFileInput, McpTitleInput } from './mcp.dto';

/** The services the tools call: the same ones the REST controllers call, so the figures are the same. */
@Injectable()
export class McpServices {
  constructor(
    readonly comparison: ComparisonService,
    readonly spotify: SpotifyService,
    readonly titles: TitlesService,
    readonly catalogue: CatalogueService,
    readonly statements: StatementsService,
    readonly alerts: AlertsService,
    readonly sources: SourcesService,
    readonly uploads: UploadService,
    readonly fx: FxService,
    readonly health: HealthService,
    readonly clock: Clock,
    readonly config: AppConfig,
  ) {}
}

/**
 * Which units a tool's answer is in; the server spells them out with the configured base currency and
 * business time zone (mcp.server.ts), so that every description says them the same way.
 */
export type ToolUnits = 'sales' | 'spotify' | 'none';

export interface McpTool<I extends object = object> {
  name: string;
  title: string;
  /** What it answers, in a sentence or two; the units and the REST endpoint are added to it. */
  description: string;
  /** The REST endpoint whose response contract the tool returns (as `structuredContent`). */
  rest: string;
  units: ToolUnits;
  /** The REST endpoint's own request DTO: its Swagger metadata is the schema, its validators the rules. */
  input: (new () => I) | null;
  /** As `@AdminOnly()` on the REST endpoint; everything else is for viewers too. */
  adminOnly?: boolean;
  run(services: McpServices, input: I, caller: Principal): Promise<object>;
}

/** Keeps each entry's input type for its `run`, then lets the table hold them side by side. */
function tool<I extends object>(definition: McpTool<I>): McpTool {
  return definition as unknown as McpTool;
}

const now = (s: McpServices, input: ClockQuery): Date => s.clock.now(input.now);

/**
 * Every tool of the MCP endpoint, one entry each. A new REST endpoint gets its tool by adding an entry
 * here (and its service to McpServices).
 */
export const MCP_TOOLS: readonly McpTool[] = [
  tool({
    name: 'sales_today_vs_yesterday',
    title: 'Today vs yesterday',
    description:
      'How today is going: today so far against yesterday up to the same wall-clock time, and yesterday in full.',
    rest: 'GET /api/comparison/today-vs-yesterday',
    units: 'sales',
    input: ClockQuery,
    run: (s, input) => s.comparison.todayVsYesterday(now(s, input)),
  }),
  tool({
    name: 'sales_week_vs_last_week',
    title: 'This week vs last week',
    description: 'This ISO week so far against last week up to the same weekday and time.',
    rest: 'GET /api/comparison/week-vs-lastweek',
    units: 'sales',
    input: ClockQuery,
    run: (s, input) => s.comparison.weekVsLastWeek(now(s, input)),
  }),
  tool({
    name: 'sales_month_vs_last_month',
    title: 'This month vs last month',
    description:
      'This month so far against last month up to the same day and time (clamped to the end of a shorter month).',
    rest: 'GET /api/comparison/month-vs-lastmonth',
    units: 'sales',
    input: ClockQuery,
    run: (s, input) => s.comparison.monthVsLastMonth(now(s, input)),
  }),
  tool({
    name: 'sales_range',
    title: 'A range vs the one before',
    description:
      'Orders, revenue and AOV of a chosen range against the equally long range just before it. A range ' +
      'reaching into the future is cut at now, and its comparison at the same offset.',
    rest: 'GET /api/comparison/range',
    units: 'sales',
    input: RangeQuery,
    run: (s, input) => s.comparison.range(now(s, input), input.from, input.to),
  }),
  tool({
    name: 'sales_year_over_year',
    title: 'A range vs a year earlier',
    description:
      'A chosen range against the same range 364 days earlier (weekdays lined up), both cut at now at the same offset.',
    rest: 'GET /api/comparison/yoy',
    units: 'sales',
    input: RangeQuery,
    run: (s, input) => s.comparison.yearOverYear(now(s, input), input.from, input.to),
  }),
  tool({
    name: 'sales_metrics_summary',
    title: 'Metrics grid',
    description:
      "The dashboard's metrics grid: today, yesterday, week, month and 30 days, each with its comparison; " +
      'with from/to also the chosen range against its comparison (previous period or year over year).',
    rest: 'GET /api/metrics/summary',
    units: 'sales',
    input: ChosenRangeQuery,
    run: (s, input) => s.comparison.metricsSummary(now(s, input), input),
  }),
  tool({
    name: 'sales_growth_daily',
    title: 'Daily growth',
    description:
      'Orders, revenue and AOV per calendar day of the last days or of from/to, oldest first, empty days included, ' +
      'with the comparison days (previous period or year over year) beside them.',
    rest: 'GET /api/growth/daily',
    units: 'sales',
    input: DaysQuery,
    run: (s, input) => s.comparison.dailyGrowth(now(s, input), input),
  }),
  tool({
    name: 'sales_growth_weekly',
    title: 'Weekly growth',
    description: 'Orders, revenue and AOV per ISO week with the change against the week before, oldest first.',
    rest: 'GET /api/growth/weekly',
    units: 'sales',
    input: WeeksQuery,
    run: (s, input) => s.comparison.weeklyGrowth(now(s, input), input.weeks),
  }),
  tool({
    name: 'sales_growth_monthly',
    title: 'Monthly growth',
    description: 'Orders, revenue and AOV per calendar month with the change against the month before, oldest first.',
    rest: 'GET /api/growth/monthly',
    units: 'sales',
    input: MonthsQuery,
    run: (s, input) => s.comparison.monthlyGrowth(now(s, input), input.months),
  }),
  tool({
    name: 'sales_by_country',
    title: 'Top countries',
    description: 'The countries of the last days (ISO 3166 alpha-2 codes) by orders or by revenue.',
    rest: 'GET /api/countries',
    units: 'sales',
    input: CountriesQuery,
    run: (s, input) => s.comparison.countries(now(s, input), input, input.limit, input.sort),
  }),
  tool({
    name: 'sales_by_platform',
    title: 'Platforms',
    description:
      'Orders and revenue of the last days per platform (Shopify, Etsy, WooCommerce, Amazon, eBay); a platform ' +
      'without orders yet is "coming_soon".',
    rest: 'GET /api/revenue/platforms',
    units: 'sales',
    input: DaysQuery,
    run: (s, input) => s.comparison.platforms(now(s, input), input),
  }),
  tool({
    name: 'titles_top',
    title: 'Top titles',
    description:
      'The best-selling titles of a range against the range before it: units, orders, revenue (shipping, tax and discounts shared over the lines), change and platform split.',
    rest: 'GET /api/titles',
    units: 'sales',
    input: TitlesQuery,
    run: (s, input) => s.titles.titles(now(s, input), input.from, input.to, input.limit, input.sort),
  }),
  tool({
    name: 'title_detail',
    title: 'One title',
    description: "A title's daily revenue over a range with its platforms, countries and Spotify months.",
    rest: 'GET /api/titles/:id',
    units: 'sales',
    input: McpTitleInput,
    run: (s, input) => s.titles.title(now(s, input), input.id, input.from, input.to),
  }),
  tool({
    name: 'titles_catalogue',
    title: 'Catalogue',
    description:
      'The titles with their editions and identifiers (ISBN, SKU, listing ids), searchable by name or identifier.',
    rest: 'GET /api/titles/catalogue',
    units: 'none',
    input: CatalogueQuery,
    run: (s, input) => s.catalogue.search(input.search, input.limit),
  }),
  tool({
    name: 'spotify_minutes',
    title: 'Spotify listening minutes',
    description:
      'Spotify listening minutes per ISO week of the last complete weeks, with estimated revenue and completes.',
    rest: 'GET /api/spotify/minutes',
    units: 'spotify',
    input: SpotifyMinutesQuery,
    run: (s, input) => s.spotify.minutes(now(s, input), input.weeks),
  }),
  tool({
    name: 'spotify_countries',
    title: 'Spotify minutes by country',
    description: 'Spotify minutes per country per ISO week, totals and the change against the week before.',
    rest: 'GET /api/spotify/countries',
    units: 'spotify',
    input: SpotifyCountriesQuery,
    run: (s, input) => s.spotify.countries(now(s, input), input.weeks),
  }),
  tool({
    name: 'spotify_quarterly_projection',
    title: 'Spotify quarters and projection',
    description:
      'Settled Spotify quarters (revenue, minutes, actual rate) and the projection of the current quarter with a ' +
      'low–expected–high band.',
    rest: 'GET /api/spotify/quarterly-projection',
    units: 'spotify',
    input: ClockQuery,
    // As the controller: the stored projection, or a fresh one when a test pins now.
    run: (s, input) =>
      input.now !== undefined ? s.spotify.computeProjection(now(s, input)) : s.spotify.storedProjection(),
  }),
  tool({
    name: 'spotify_months',
    title: 'Spotify months, estimated and confirmed',
    description:
      "Each month's Spotify listening minutes, its estimated revenue (minutes × current rate), the revenue a " +
      'royalty statement confirmed, the difference, and the file that confirmed it.',
    rest: 'GET /api/spotify/months',
    units: 'spotify',
    input: SpotifyMonthsQuery,
    run: (s, input) => s.statements.months(now(s, input), input.months),
  }),
  tool({
    name: 'spotify_statements',
    title: 'Spotify royalty statements and payments due',
    description:
      'Royalty statements received (period, invoice and due date, net amount, Spotify and other partners) and the ' +
      'payments still to come with their due dates.',
    rest: 'GET /api/spotify/statements',
    units: 'spotify',
    input: ClockQuery,
    run: (s, input) => s.statements.statements(now(s, input)),
  }),
  tool({
    name: 'alerts_fired',
    title: 'Alerts fired',
    description: 'Alerts that fired (milestones, quiet spells), newest first, with their e-mail delivery status.',
    rest: 'GET /api/alerts/events',
    units: 'none',
    input: AlertEventsQuery,
    run: (s, input) => s.alerts.events(input.limit),
  }),
  tool({
    name: 'data_sources',
    title: 'Data sources',
    description:
      'How fresh the data is: every order source (webhooks, pollers, imports) with its last sync and last error.',
    rest: 'GET /api/sources',
    units: 'none',
    input: null,
    run: (s) => s.sources.list(),
  }),
  tool({
    name: 'health',
    title: 'Health',
    description: 'Whether the service and its database are up.',
    rest: 'GET /api/health',
    units: 'none',
    input: null,
    run: (s) => s.health.health(),
  }),
  tool({
    name: 'fx_status',
    title: 'Exchange-rate status',
    description:
      'Where exchange rates come from, every currency orders were placed in with its last rate day, and the ' +
      'orders and refunds still waiting for a rate (left out of every sum until one arrives).',
    rest: 'GET /api/fx/status',
    units: 'none',
    input: null,
    run: (s) => s.fx.status(),
  }),
  tool<FxRatesQueryDto>({
    name: 'fx_rates',
    title: 'Stored exchange rates',
    description:
      'Stored rates, newest first (at most 1,000): 1 unit of `currency` = `rate` units of the base currency on `date`.',
    rest: 'GET /api/fx/rates',
    units: 'none',
    input: FxRatesQueryDto,
    run: (s, input) => s.fx.rates({ currency: input.currency?.toUpperCase(), from: input.from, to: input.to }),
  }),
  tool<FxRatesDto>({
    name: 'add_exchange_rates',
    title: 'Add exchange rates',
    description:
      'Adds or corrects rates { date, currency, rate } (1 unit of `currency` = `rate` units of the base ' +
      'currency on `date`), for currencies the ECB lacks or for corrections. One transaction: a bad row refuses ' +
      'them all, naming the row and field. Orders and refunds waiting for these rates are converted at once. Admins only.',
    rest: 'POST /api/fx/rates',
    units: 'none',
    input: FxRatesDto,
    adminOnly: true,
    run: (s, input, caller) => s.fx.addRates(input, caller.id),
  }),
  tool({
    name: 'import_history',
    title: 'Import history',
    description: 'Who uploaded which file when, and what came of it, newest first. Admins only.',
    rest: 'GET /api/upload/history',
    units: 'none',
    input: UploadHistoryQueryDto,
    adminOnly: true,
    run: (s, input) => s.uploads.history(input.limit),
  }),
  tool<McpImportFileInput>({
    name: 'import_file',
    title: 'Import a report file',
    description:
      'Imports one file (an order export or saved API answer of Shopify, WooCommerce, Etsy, Amazon or eBay, a ' +
      'Spotify report, an exchange-rate file; CSV, TSV, XLSX, JSON or ECB XML) through ' +
      'the same intake as the dashboard: type recognised from the content, one file one transaction, every ' +
      'bad row reported with its row, column and reason, and an entry in the import history. A file that was ' +
      'imported before is recognised and changes nothing. The MCP request is JSON of at most 2 MB, so a file ' +
      'can have about 1.5 MB here; larger ones go through POST /api/upload or the dashboard. Admins only.',
    rest: 'POST /api/upload',
    units: 'none',
    input: McpImportFileInput,
    adminOnly: true,
    run: (s, input, caller) => {
      const buffer = Buffer.from(input.contentBase64, 'base64');
      // What multer enforces for POST /api/upload.
      if (buffer.length > s.config.uploadMaxMb * 1024 * 1024)
        throw new PayloadTooLargeException(
          `${input.name} is larger than the upload limit of ${s.config.uploadMaxMb} MB (UPLOAD_MAX_MB); nothing was imported`,
        );
      return s.uploads.importFiles([{ name: input.name, size: buffer.length, buffer }], {
        type: input.type ?? null,
        userId: caller.id,
      });
    },
  }),
];
