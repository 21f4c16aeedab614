import { ApiProperty } from '@nestjs/swagger';
import {
  SETTLEMENT_CADENCES,
  type SettlementCadence,
  type SpotifyMonth,
  type SpotifyMonthsResponse,
  type SpotifySource,
  type SpotifySourceKind,
  type SpotifyStatement,
  type SpotifyStatementsResponse,
  type SpotifyUpcomingPayment,
  type SpotifyCountriesResponse,
  type SpotifyMinutesResponse,
  type SpotifyProjection,
  type SpotifyQuarter,
  type SpotifyQuarterlyProjectionResponse,
  type SpotifySettings,
} from '@mt/contracts';
import { DATE, DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/spotify.ts` (see common/api-schema.ts). */

type SpotifyWeek = SpotifyMinutesResponse['weeks'][number];
type SpotifyCountry = SpotifyCountriesResponse['countries'][number];
type RevenueBand = SpotifyProjection['revenue'];

const RATE = { description: '$ per minute listened', example: 0.00841 };
const BOOK_MINUTES = { description: 'average audiobook length in minutes', example: 530 };

export class SpotifyWeekSchema implements SpotifyWeek {
  @ApiProperty({ ...DATE, description: "the ISO week's Monday" })
  weekStart!: string;

  @ApiProperty()
  minutes!: number;

  @ApiProperty({ description: 'minutes × the pool rate' })
  estimatedRevenue!: number;

  @ApiProperty({ description: 'minutes / the average book length' })
  estimatedCompletes!: number;
}

export class SpotifyMinutesSchema implements SpotifyMinutesResponse {
  @ApiProperty(RATE)
  rate!: number;

  @ApiProperty(BOOK_MINUTES)
  averageBookMinutes!: number;

  @ApiProperty({ type: [SpotifyWeekSchema], description: 'the last complete weeks, oldest first; 0 without data' })
  weeks!: SpotifyWeek[];
}

export class SpotifyCountrySchema implements SpotifyCountry {
  @ApiProperty({ example: 'US' })
  country!: string;

  @ApiProperty({ type: [Number], description: 'per week, in the order of `weeks`' })
  minutes!: number[];

  @ApiProperty()
  total!: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'number', nullable: true },
    description: 'per week, % vs the week before; null for the first and after a week with 0',
  })
  change!: Array<number | null>;
}

export class SpotifyCountriesSchema implements SpotifyCountriesResponse {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'date' }, description: "the weeks' Mondays" })
  weeks!: string[];

  @ApiProperty({ type: [SpotifyCountrySchema], description: 'by total minutes, largest first' })
  countries!: SpotifyCountry[];

  @ApiProperty({ type: [Number], description: 'minutes of all countries per week' })
  totals!: number[];
}

const SOURCE_KINDS = literals<SpotifySourceKind>({
  demo: true,
  manual: true,
  'revenue-report': true,
  statement: true,
  setting: true,
});

export class SpotifySourceSchema implements SpotifySource {
  @ApiProperty({ enum: SOURCE_KINDS })
  kind!: SpotifySourceKind;

  @ApiProperty({ description: "the file's name, the stored actual's source, or the rate's source text" })
  label!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'when uploaded or saved; null for demo and manual data' })
  at!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "the uploader's e-mail" })
  by!: string | null;
}

export class SpotifyQuarterSchema implements SpotifyQuarter {
  @ApiProperty({ example: '2025-Q3' })
  quarter!: string;

  @ApiProperty()
  revenue!: number;

  @ApiProperty()
  minutes!: number;

  @ApiProperty({ type: Number, nullable: true })
  completes!: number | null;

  @ApiProperty({ ...RATE, description: 'revenue / minutes, 5 decimals' })
  rate!: number;

  @ApiProperty({ enum: ['actual'] })
  kind!: 'actual';

  @ApiProperty({
    description: 'revenue-report or statement (from confirmed months), or the stored actual (manual, demo)',
  })
  source!: string;

  @ApiProperty({ type: 'integer', description: 'months of the quarter a statement or revenue report confirms' })
  confirmedMonths!: number;

  @ApiProperty({
    description: 'false while some months are unconfirmed: then the figures are those of the confirmed months',
  })
  complete!: boolean;

  @ApiProperty({ type: [SpotifySourceSchema] })
  sources!: SpotifySource[];
}

export class RevenueBandSchema implements RevenueBand {
  @ApiProperty({ description: 'at the lowest unrounded rate of the last four actual quarters and the current one' })
  low!: number;

  @ApiProperty({ description: 'at the current rate' })
  expected!: number;

  @ApiProperty({ description: 'at the highest unrounded rate of the last four actual quarters and the current one' })
  high!: number;
}

export class SpotifyProjectionSchema implements SpotifyProjection {
  @ApiProperty({ example: '2026-Q1' })
  quarter!: string;

  @ApiProperty()
  minutesToDate!: number;

  @ApiProperty({ type: 'integer', description: 'days the data covers, from the first day with data' })
  daysElapsed!: number;

  @ApiProperty({ ...DATE, nullable: true, description: 'the first day counted; null without data' })
  coveredFrom!: string | null;

  @ApiProperty({ enum: ['weekly', 'monthly', 'none'] })
  minutesFrom!: 'weekly' | 'monthly' | 'none';

  @ApiProperty({ type: 'integer' })
  daysInQuarter!: number;

  @ApiProperty()
  projectedMinutes!: number;

  @ApiProperty({ type: RevenueBandSchema })
  revenue!: RevenueBand;
}

export class SpotifyQuarterlyProjectionSchema implements SpotifyQuarterlyProjectionResponse {
  @ApiProperty(RATE)
  currentRate!: number;

  @ApiProperty({ type: SpotifySourceSchema })
  currentRateSource!: SpotifySource;

  @ApiProperty(BOOK_MINUTES)
  averageBookMinutes!: number;

  @ApiProperty({ type: [SpotifyQuarterSchema], description: 'oldest first' })
  quarters!: SpotifyQuarter[];

  @ApiProperty({ type: SpotifyProjectionSchema })
  projection!: SpotifyProjection;

  @ApiProperty({ ...DATE_TIME, description: 'when this projection was computed' })
  computedAt!: string;
}

export class SpotifySettingsSchema implements SpotifySettings {
  @ApiProperty(RATE)
  poolRate!: number;

  @ApiProperty({ example: '2025-Q3 actual' })
  poolRateSource!: string;

  @ApiProperty(BOOK_MINUTES)
  averageBookMinutes!: number;

  @ApiProperty({ enum: SETTLEMENT_CADENCES })
  cadence!: SettlementCadence;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  updatedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'owner@mtink.example', description: 'who saved them' })
  updatedBy!: string | null;
}

export class SpotifyMonthSchema implements SpotifyMonth {
  @ApiProperty({ example: '2025-06' })
  month!: string;

  @ApiProperty({ description: 'revenue report minutes, else monthly stats, else weekly stats spread over their days' })
  minutes!: number;

  @ApiProperty({ description: 'minutes × the current pool rate' })
  estimatedRevenue!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Spotify pool money of its statements; null until then' })
  confirmedRevenue!: number | null;

  @ApiProperty({ enum: ['estimated', 'confirmed'] })
  status!: 'estimated' | 'confirmed';

  @ApiProperty({ type: Number, nullable: true, description: 'confirmed − estimated; null while estimated' })
  difference!: number | null;

  @ApiProperty({ type: SpotifySourceSchema, nullable: true })
  source!: SpotifySource | null;
}

export class SpotifyMonthsSchema implements SpotifyMonthsResponse {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty(RATE)
  rate!: number;

  @ApiProperty({ enum: SETTLEMENT_CADENCES })
  cadence!: SettlementCadence;

  @ApiProperty({ type: [SpotifyMonthSchema], description: 'oldest first, the month holding now last' })
  months!: SpotifyMonth[];
}

class StatementChannelSchema {
  @ApiProperty({ example: 'Pool' })
  channel!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty()
  amount!: number;
}

export class SpotifyStatementSchema implements SpotifyStatement {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ example: 'findaway' })
  source!: string;

  @ApiProperty({ example: '2025-06' })
  period!: string;

  @ApiProperty({ example: '2025-06 Digital Royalty' })
  invoiceNumber!: string;

  @ApiProperty(DATE)
  invoiceDate!: string;

  @ApiProperty(DATE)
  dueDate!: string;

  @ApiProperty({ description: "in the statement's currency" })
  netAmount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'base currency at the invoice date; null without a rate' })
  baseNetAmount!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Spotify lines (pool and à-la-carte), base currency' })
  spotifyAmount!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: "other partners' lines, base currency" })
  otherAmount!: number | null;

  @ApiProperty({ type: [StatementChannelSchema] })
  channels!: SpotifyStatement['channels'];

  @ApiProperty()
  file!: string;

  @ApiProperty(DATE_TIME)
  uploadedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  uploadedBy!: string | null;

  @ApiProperty({ type: 'integer', description: 'versions received of this period (corrected re-issues replace)' })
  versions!: number;
}

export class SpotifyUpcomingPaymentSchema implements SpotifyUpcomingPayment {
  @ApiProperty({ example: '2025-07', description: 'YYYY-MM, or YYYY-Qn when paid quarterly' })
  period!: string;

  @ApiProperty(DATE)
  dueDate!: string;

  @ApiProperty({ description: 'base currency' })
  amount!: number;

  @ApiProperty({ enum: ['statement', 'estimate'] })
  basis!: 'statement' | 'estimate';
}

export class SpotifyStatementsSchema implements SpotifyStatementsResponse {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: SETTLEMENT_CADENCES })
  cadence!: SettlementCadence;

  @ApiProperty({ type: [SpotifyStatementSchema], description: 'newest period first' })
  statements!: SpotifyStatement[];

  @ApiProperty({ type: [SpotifyUpcomingPaymentSchema], description: 'by due date, soonest first' })
  upcoming!: SpotifyUpcomingPayment[];
}
