import { Injectable } from '@nestjs/common';
import type {
  SettlementCadence,
  SpotifyMonth,
  SpotifyMonthsResponse,
  SpotifyStatementsResponse,
  SpotifyUpcomingPayment,
} from '@mt/contracts';
import { addDays, addMonthsToMonthStart, localDate } from '@mt/periods';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ReadStatement } from './statement-reader';
import { SpotifyRepository } from './spotify.repository';
import { SpotifyService } from './spotify.service';
import { StatementsRepository, StoredStatementOutcome } from './statements.repository';

/** Findaway pays about six weeks after the month (FORMATS.md §6.1): the lag before any statement says otherwise. */
export const DEFAULT_PAYMENT_LAG_DAYS = 42;

/**
 * Royalty statements and the months they confirm (SPEC §2 "Estimated → confirmed", §3 `spotify/months`,
 * `spotify/statements`). The intake hands read statements to `store`; the rest reads.
 */
@Injectable()
export class StatementsService {
  constructor(
    private readonly repository: StatementsRepository,
    private readonly spotifyRepository: SpotifyRepository,
    private readonly spotify: SpotifyService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Stores a statement (replacing an earlier one of the same period) and, in the same transaction, the
   * caller's bookkeeping: `log` writes the import history entry and returns its id, which the statement keeps
   * as its provenance.
   */
  async store(
    statement: ReadStatement,
    log: (manager: EntityManager, outcome: StoredStatementOutcome) => Promise<string>,
  ): Promise<StoredStatementOutcome> {
    return this.repository.transaction(async (manager) => {
      const outcome = await this.repository.store(manager, statement);
      await this.repository.linkUpload(manager, outcome.id, await log(manager, outcome));
      return outcome;
    });
  }

  /** The last `count` months up to the one holding `now`, each estimated or confirmed. */
  async months(now: Date, count: number): Promise<SpotifyMonthsResponse> {
    const settings = await this.spotify.storedSettings();
    const thisMonth = addMonthsToMonthStart(localDate(now, this.config.businessTimezone), 0);
    const rows = await this.spotifyRepository.months(
      addMonthsToMonthStart(thisMonth, 1 - count),
      thisMonth,
      settings.poolRate,
      this.config.baseCurrency,
      this.config.businessTimezone,
    );
    return {
      currency: this.config.baseCurrency,
      rate: Number(settings.poolRate),
      cadence: settings.cadence,
      months: rows.map((row): SpotifyMonth => ({
        ...row,
        status: row.confirmedRevenue === null ? 'estimated' : 'confirmed',
      })),
    };
  }

  /**
   * Every statement, and the payments still to come: statements not yet due, and an estimate for each
   * ended month of the last year that no statement covers yet, due after the latest statement's lag.
   */
  async statements(now: Date): Promise<SpotifyStatementsResponse> {
    const zone = this.config.businessTimezone;
    const today = localDate(now, zone);
    const settings = await this.spotify.storedSettings();
    const [rows, lag, { months }] = await Promise.all([
      this.repository.statements(this.config.baseCurrency, zone),
      this.repository.paymentLagDays(),
      this.months(now, 12),
    ]);
    const due: SpotifyUpcomingPayment[] = rows
      .filter((row) => row.dueDate >= today && row.baseNetAmount !== null)
      .map((row) => ({
        period: row.month,
        dueDate: row.dueDate,
        amount: Number(row.baseNetAmount),
        basis: 'statement',
      }));
    const thisMonth = today.slice(0, 7);
    const expected: SpotifyUpcomingPayment[] = months
      .filter((month) => month.status === 'estimated' && month.minutes > 0 && month.month < thisMonth)
      .map((month) => ({
        period: month.month,
        dueDate: addDays(addDays(addMonthsToMonthStart(`${month.month}-01`, 1), -1), lag ?? DEFAULT_PAYMENT_LAG_DAYS),
        amount: month.estimatedRevenue,
        basis: 'estimate',
      }));
    return {
      currency: this.config.baseCurrency,
      cadence: settings.cadence,
      statements: rows.map((row) => ({
        id: Number(row.id),
        source: row.issuer,
        period: row.month,
        invoiceNumber: row.invoiceNumber,
        invoiceDate: row.invoiceDate,
        dueDate: row.dueDate,
        netAmount: Number(row.netAmount),
        currency: row.currency.trim(),
        baseNetAmount: nullableNumber(row.baseNetAmount),
        spotifyAmount: nullableNumber(row.spotifyAmount),
        otherAmount: nullableNumber(row.otherAmount),
        channels: row.channels.map((channel) => ({ ...channel, amount: Number(channel.amount) })),
        file: row.file ?? 'file no longer in the import history',
        uploadedAt: (row.uploadedAt ?? new Date(0)).toISOString(),
        uploadedBy: row.uploadedBy,
        versions: row.versions,
      })),
      upcoming: settle([...due, ...expected], settings.cadence),
    };
  }
}

/** Payments by due date; quarterly cadence pays a quarter's months together, when its last one is due. */
function settle(payments: SpotifyUpcomingPayment[], cadence: SettlementCadence): SpotifyUpcomingPayment[] {
  const byDue = (a: SpotifyUpcomingPayment, b: SpotifyUpcomingPayment) =>
    a.dueDate.localeCompare(b.dueDate) || a.period.localeCompare(b.period);
  if (cadence === 'monthly') return payments.sort(byDue);
  const quarters = new Map<string, { dueDate: string; cents: number; estimate: boolean }>();
  for (const payment of payments) {
    const [year, month] = payment.period.split('-').map(Number) as [number, number];
    const quarter = `${year}-Q${Math.ceil(month / 3)}`;
    const entry = quarters.get(quarter) ?? { dueDate: payment.dueDate, cents: 0, estimate: false };
    // Whole cents are integers: adding them is exact.
    entry.cents += Math.round(payment.amount * 100);
    entry.dueDate = entry.dueDate > payment.dueDate ? entry.dueDate : payment.dueDate;
    entry.estimate ||= payment.basis === 'estimate';
    quarters.set(quarter, entry);
  }
  return [...quarters.entries()]
    .map(([period, entry]) => ({
      period,
      dueDate: entry.dueDate,
      amount: entry.cents / 100,
      basis: entry.estimate ? ('estimate' as const) : ('statement' as const),
    }))
    .sort(byDue);
}

function nullableNumber(value: string | null): number | null {
  return value === null ? null : Number(value);
}
