import { ApiProperty } from '@nestjs/swagger';
import type {
  SpotifyCountriesResponse,
  SpotifyMinutesResponse,
  SpotifyProjection,
  SpotifyQuarter,
  SpotifyQuarterlyProjectionResponse,
  SpotifySettings,
} from '@mt/contracts';
import { DATE, DATE_TIME } from '../common/api-schema';

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

  @ApiProperty({ description: 'revenue-report, or where the stored actual came from (manual, demo)' })
  source!: string;
}

export class RevenueBandSchema implements RevenueBand {
  @ApiProperty({ description: 'at the lowest rate of the last four actual quarters' })
  low!: number;

  @ApiProperty({ description: 'at the current rate' })
  expected!: number;

  @ApiProperty({ description: 'at the highest rate of the last four actual quarters' })
  high!: number;
}

export class SpotifyProjectionSchema implements SpotifyProjection {
  @ApiProperty({ example: '2026-Q1' })
  quarter!: string;

  @ApiProperty()
  minutesToDate!: number;

  @ApiProperty({ type: 'integer', description: 'days of the quarter the weekly data covers' })
  daysElapsed!: number;

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

  @ApiProperty({ ...DATE_TIME, nullable: true })
  updatedAt!: string | null;
}
