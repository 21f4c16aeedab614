import { Injectable, NotFoundException } from '@nestjs/common';
import {
  PLATFORMS,
  type Platform,
  type TitleDay,
  type TitleDetailResponse,
  type TitlePlatformFigures,
  type TitleSort,
  type TitlesResponse,
  type TitleSummary,
} from '@mt/contracts';
import {
  addDays,
  addMonthsToMonthStart,
  comparedWithPreviousRange,
  daysBetween,
  localDate,
  startOfLocalDay,
  TimeWindow,
  toZonedIso,
} from '@mt/periods';
import { requestedRange } from '../common/requested-range';
import { AppConfig } from '../config/app-config';
import { SalesRepository } from '../sales/sales.repository';
import { SpotifyService } from '../spotify/spotify.service';
import { CatalogueRepository } from './catalogue.repository';
import { TitleStatementIncomeRow, TitleStatementsRepository } from './title-statements.repository';
import { NO_LINE_ITEMS, TitleFiguresRow, TitlesRepository } from './titles.repository';

/** Revenue per title of any range against the range before (SPEC §3 `GET /api/titles`, `GET /api/titles/:id`). */
@Injectable()
export class TitlesService {
  constructor(
    private readonly repository: TitlesRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly sales: SalesRepository,
    private readonly spotify: SpotifyService,
    private readonly config: AppConfig,
    private readonly statements: TitleStatementsRepository,
  ) {}

  private get zone(): string {
    return this.config.businessTimezone;
  }

  async titles(now: Date, from: string, to: string, limit: number, sort: TitleSort): Promise<TitlesResponse> {
    const { current, previous } = comparedWithPreviousRange(this.range(from, to), now, this.zone);
    const [firstDay, endDay] = this.days(current);
    const [firstMonth, lastMonth] = this.months(current);
    // Every read starts at once; only those that need the state (rollups, catalogue version) or the rate
    // wait for it. The heads, kept per catalogue version, are read again only when the catalogue changed.
    const [state, rate] = [this.repository.readState(), this.poolRate()];
    const [{ catalogueVersion }, rows, minutes, [totals], warnings, statementRows] = await Promise.all([
      state,
      state.then(({ rollups }) => this.repository.figures(current, previous, 'platform', undefined, rollups)),
      rate.then((poolRate) => this.repository.spotifyMinutes(firstDay, endDay, poolRate)),
      this.sales.windows([{ ...current, previous: null }]),
      this.sales.warnings([current, previous]),
      this.statements.income(firstMonth, lastMonth, this.config.baseCurrency, this.zone),
    ]);
    const spotify = new Map(minutes.map((row) => [row.titleId, row]));
    const income = new Map(statementRows.map((row) => [row.titleId, row]));
    const byTitle = new Map<string, TitleFiguresRow>();
    const platforms = new Map<string, TitlePlatformFigures[]>();
    let total: TitleFiguresRow | undefined;
    for (const row of rows) {
      if (row.level === 'total') total = row;
      else if (row.level === 'title') byTitle.set(row.titleId!, row);
      else platforms.set(row.titleId!, [...(platforms.get(row.titleId!) ?? []), platformFigures(row)]);
    }
    const ids = [...new Set([...byTitle.keys(), ...spotify.keys(), ...income.keys()])].filter(
      (id) => id !== NO_LINE_ITEMS,
    );
    const heads = new Map((await this.catalogue.heads(ids, catalogueVersion)).map((head) => [String(head.id), head]));
    const summaries: TitleSummary[] = ids
      .filter((id) => heads.has(id))
      .map((id) => {
        const figures = byTitle.get(id);
        const head = heads.get(id)!;
        const listening = spotify.get(id);
        return {
          id: head.id,
          title: head.title,
          formats: [...new Set(head.editions.map((edition) => edition.format))].sort(),
          orders: figures?.orders ?? 0,
          units: figures?.units ?? 0,
          revenue: Number(figures?.revenue ?? 0),
          previousRevenue: Number(figures?.previousRevenue ?? 0),
          change: nullableNumber(figures?.change ?? null),
          platforms: sortPlatforms(platforms.get(id) ?? []),
          spotify: {
            minutes: Number(listening?.minutes ?? 0),
            estimatedRevenue: Number(listening?.estimatedRevenue ?? 0),
            confirmedRevenue: income.has(id) ? Number(income.get(id)!.spotify) : null,
          },
          otherAudiobook: otherAudiobook(income.get(id)),
        };
      });
    const ranked = sort === 'units' ? compareByUnits : compareByRevenue;
    const noLines = byTitle.get(NO_LINE_ITEMS);
    return {
      currency: this.config.baseCurrency,
      from: toZonedIso(current.from, this.zone),
      to: toZonedIso(current.to, this.zone),
      previous: { from: toZonedIso(previous.from, this.zone), to: toZonedIso(previous.to, this.zone) },
      titles: summaries.sort(ranked).slice(0, limit),
      noLineItems: {
        orders: noLines?.orders ?? 0,
        revenue: Number(noLines?.revenue ?? 0),
        previousRevenue: Number(noLines?.previousRevenue ?? 0),
        change: nullableNumber(noLines?.change ?? null),
      },
      total: { orders: totals!.orders, units: total?.units ?? 0, revenue: Number(total?.revenue ?? 0) },
      warnings,
    };
  }

  async title(now: Date, id: string, from: string, to: string): Promise<TitleDetailResponse> {
    const { current, previous } = comparedWithPreviousRange(this.range(from, to), now, this.zone);
    const [firstMonth, lastMonth] = this.months(current);
    // Every read starts at once (an unknown title is answered 404 after them); only those that need the
    // state (rollups, catalogue version) or the rate wait for it.
    const [state, poolRate] = [this.repository.readState(), this.poolRate()];
    const [[head], rate, platformRows, countryRows, days, months, warnings, [income], confirmed] = await Promise.all([
      state.then(({ catalogueVersion }) => this.catalogue.heads([id], catalogueVersion)),
      poolRate,
      state.then(({ rollups }) => this.repository.figures(current, previous, 'platform', id, rollups)),
      // The page shows the countries of the range only.
      state.then(({ rollups }) => this.repository.figures(current, null, 'country', id, rollups)),
      state.then(({ rollups }) => this.repository.days(current, previous, id, rollups)),
      poolRate.then((rate) => this.repository.spotifyMonths(id, firstMonth, lastMonth, rate)),
      this.sales.warnings([current, previous]),
      this.statements.income(firstMonth, lastMonth, this.config.baseCurrency, this.zone, id),
      this.statements.spotifyMonths(id, this.config.baseCurrency, this.zone),
    ]);
    if (!head) throw new NotFoundException([`title ${id} does not exist`]);
    const total = platformRows.find((row) => row.level === 'title');
    return {
      id: head.id,
      title: head.title,
      currency: this.config.baseCurrency,
      from: toZonedIso(current.from, this.zone),
      to: toZonedIso(current.to, this.zone),
      previous: { from: toZonedIso(previous.from, this.zone), to: toZonedIso(previous.to, this.zone) },
      editions: head.editions,
      total: {
        orders: total?.orders ?? 0,
        units: total?.units ?? 0,
        revenue: Number(total?.revenue ?? 0),
        previousRevenue: Number(total?.previousRevenue ?? 0),
        change: nullableNumber(total?.change ?? null),
      },
      daily: this.series(
        current,
        days.filter((day) => day.window === 1),
      ),
      previousDaily: this.series(
        previous,
        days.filter((day) => day.window === 2),
      ),
      platforms: sortPlatforms(platformRows.filter(hasFigures).map(platformFigures)),
      countries: countryRows
        .filter(hasFigures)
        .map((row) => ({ country: row.key, orders: row.orders, units: row.units, revenue: Number(row.revenue) }))
        .sort((a, b) => b.revenue - a.revenue || b.orders - a.orders),
      spotify: {
        rate: Number(rate),
        months: months.map((month) => ({
          month: month.month,
          minutes: Number(month.minutes),
          estimatedRevenue: Number(month.estimatedRevenue),
          confirmedRevenue: confirmed.has(month.month) ? Number(confirmed.get(month.month)) : null,
        })),
      },
      otherAudiobook: otherAudiobook(income),
      warnings,
    };
  }

  /** The catalogue title names of each order's lines (the `order.created` event carries them). */
  orderTitles(orderIds: string[]): Promise<Map<string, string[]>> {
    return this.catalogue.orderTitles(orderIds);
  }

  /** The one catalogue title called exactly `name` (a notification links to its page), or null: none, or several. */
  async titleNamed(name: string): Promise<number | null> {
    const named = (await this.catalogue.search(name, 10)).filter((title) => title.title === name);
    return named.length === 1 ? named[0]!.id : null;
  }

  private async poolRate(): Promise<string> {
    return String((await this.spotify.settings()).poolRate);
  }

  /** Every local day of the window, with its figures or zeros. */
  private series(window: TimeWindow, rows: Array<{ day: string; units: number; revenue: string }>): TitleDay[] {
    const byDay = new Map(rows.map((row) => [row.day, row]));
    const [first, end] = this.days(window);
    return Array.from({ length: Math.max(daysBetween(first, end), 0) }, (_, i) => {
      const date = addDays(first, i);
      const row = byDay.get(date);
      return { date, units: row?.units ?? 0, revenue: Number(row?.revenue ?? 0) };
    });
  }

  /** The local days [first, end) that the window touches (a partial last day included). */
  private days(window: TimeWindow): [string, string] {
    const first = localDate(window.from, this.zone);
    const last = localDate(window.to, this.zone);
    const end = startOfLocalDay(last, this.zone).getTime() < window.to.getTime() ? addDays(last, 1) : last;
    return [first, end < first ? first : end];
  }

  /** The first days of the first and last month the window touches. */
  private months(window: TimeWindow): [string, string] {
    const [first, end] = this.days(window);
    const last = end > first ? addDays(end, -1) : first;
    return [addMonthsToMonthStart(first, 0), addMonthsToMonthStart(last, 0)];
  }

  private range(from: string, to: string): TimeWindow {
    return requestedRange(from, to, this.zone);
  }
}

function otherAudiobook(row: TitleStatementIncomeRow | undefined): TitleSummary['otherAudiobook'] {
  return {
    revenue: Number(row?.other ?? 0),
    partners: (row?.partners ?? []).map((partner) => ({ partner: partner.partner, revenue: Number(partner.revenue) })),
  };
}

/** A platform or country row with orders, or with refunds only. */
function hasFigures(row: TitleFiguresRow): boolean {
  return row.level === 'key' && (row.orders > 0 || Number(row.revenue) !== 0);
}

function platformFigures(row: TitleFiguresRow): TitlePlatformFigures {
  return { platform: row.key as Platform, orders: row.orders, units: row.units, revenue: Number(row.revenue) };
}

function sortPlatforms(platforms: TitlePlatformFigures[]): TitlePlatformFigures[] {
  return platforms.sort((a, b) => PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform));
}

function compareByRevenue(a: TitleSummary, b: TitleSummary): number {
  return b.revenue - a.revenue || b.units - a.units || a.title.localeCompare(b.title) || a.id - b.id;
}

function compareByUnits(a: TitleSummary, b: TitleSummary): number {
  return b.units - a.units || compareByRevenue(a, b);
}

function nullableNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}
