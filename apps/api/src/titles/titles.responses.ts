import { ApiProperty } from '@nestjs/swagger';
import {
  EDITION_FORMATS,
  PLATFORMS,
  type AnalyticsWarning,
  type CatalogueChangeResponse,
  type CatalogueResponse,
  type CatalogueTitle,
  type Edition,
  type EditionFormat,
  type EditionIdentifier,
  type IdentifierKind,
  type NoLineItemsFigures,
  type Platform,
  type TitleCountryFigures,
  type TitleDay,
  type TitleDetailResponse,
  type TitlePlatformFigures,
  type TitleOtherAudiobookIncome,
  type TitleSpotifyFigures,
  type TitleSpotifyMonth,
  type TitlesResponse,
  type TitleSummary,
} from '@mt/contracts';
import { DATE, DATE_TIME, literals, PERCENT_CHANGE } from '../common/api-schema';
import { AnalyticsWarningSchema } from '../comparison/comparison.responses';

/** The OpenAPI shapes of `libs/contracts/src/titles.ts` (see common/api-schema.ts). */

const ID = { type: 'integer', example: 3 } as const;
const COUNT = { type: 'integer' } as const;
const MONEY = { type: Number, description: 'base currency, rounded to cents', example: 412.5 } as const;
const CONFIRMED = {
  type: Number,
  nullable: true,
  description: "what royalty statements' Spotify lines (pool and à-la-carte) paid; null while no statement covers it",
  example: null,
} as const;

class PartnerIncomeSchema {
  @ApiProperty({ example: 'Google Play' })
  partner!: string;

  @ApiProperty(MONEY)
  revenue!: number;
}

class OtherAudiobookSchema implements TitleOtherAudiobookIncome {
  @ApiProperty(MONEY)
  revenue!: number;

  @ApiProperty({ type: [PartnerIncomeSchema], description: 'by revenue, largest first' })
  partners!: TitleOtherAudiobookIncome['partners'];
}

class RangeBoundsSchema {
  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;
}

export class TitlePlatformSchema implements TitlePlatformFigures {
  @ApiProperty({ enum: PLATFORMS })
  platform!: Platform;

  @ApiProperty(COUNT)
  orders!: number;

  @ApiProperty(COUNT)
  units!: number;

  @ApiProperty(MONEY)
  revenue!: number;
}

export class TitleSpotifySchema implements TitleSpotifyFigures {
  @ApiProperty({ description: "listening minutes of the range (a week's minutes spread evenly over its days)" })
  minutes!: number;

  @ApiProperty({ ...MONEY, description: 'minutes × the current pool rate' })
  estimatedRevenue!: number;

  @ApiProperty(CONFIRMED)
  confirmedRevenue!: number | null;
}

export class TitleSummarySchema implements TitleSummary {
  @ApiProperty(ID)
  id!: number;

  @ApiProperty({ example: 'The Ink Road' })
  title!: string;

  @ApiProperty({ enum: EDITION_FORMATS, isArray: true })
  formats!: EditionFormat[];

  @ApiProperty({ ...COUNT, description: 'counted orders with a line of the title' })
  orders!: number;

  @ApiProperty(COUNT)
  units!: number;

  @ApiProperty({ ...MONEY, description: "the lines' shares of their orders' totals, minus their shares of refunds" })
  revenue!: number;

  @ApiProperty(MONEY)
  previousRevenue!: number;

  @ApiProperty(PERCENT_CHANGE)
  change!: number | null;

  @ApiProperty({ type: [TitlePlatformSchema] })
  platforms!: TitlePlatformFigures[];

  @ApiProperty({ type: TitleSpotifySchema })
  spotify!: TitleSpotifyFigures;

  @ApiProperty({ type: OtherAudiobookSchema, description: "royalty statements' other partners, in the range's months" })
  otherAudiobook!: TitleOtherAudiobookIncome;
}

export class NoLineItemsSchema implements NoLineItemsFigures {
  @ApiProperty(COUNT)
  orders!: number;

  @ApiProperty(MONEY)
  revenue!: number;

  @ApiProperty(MONEY)
  previousRevenue!: number;

  @ApiProperty(PERCENT_CHANGE)
  change!: number | null;
}

export class TitlesTotalSchema {
  @ApiProperty(COUNT)
  orders!: number;

  @ApiProperty(COUNT)
  units!: number;

  @ApiProperty({ ...MONEY, description: 'equals GET /api/comparison/range for the same range, to the cent' })
  revenue!: number;
}

export class TitlesSchema implements TitlesResponse {
  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

  @ApiProperty({ type: RangeBoundsSchema, description: 'the equally long range before, cut at the same point' })
  previous!: { from: string; to: string };

  @ApiProperty({ type: [TitleSummarySchema], description: 'the best `limit` titles by `sort`' })
  titles!: TitleSummary[];

  @ApiProperty({ type: NoLineItemsSchema, description: 'orders stored without lines: counted, on no title' })
  noLineItems!: NoLineItemsFigures;

  @ApiProperty({ type: TitlesTotalSchema, description: 'every title and noLineItems' })
  total!: { orders: number; units: number; revenue: number };

  @ApiProperty({ type: [AnalyticsWarningSchema] })
  warnings!: AnalyticsWarning[];
}

export class IdentifierSchema implements EditionIdentifier {
  @ApiProperty({ enum: literals<IdentifierKind>({ isbn: true, sku: true, listing: true, title: true }) })
  kind!: IdentifierKind;

  @ApiProperty({ enum: [...PLATFORMS, 'spotify'], nullable: true, description: 'null: on every platform' })
  platform!: Platform | 'spotify' | null;

  @ApiProperty({ example: '9781000000011' })
  value!: string;
}

export class EditionSchema implements Edition {
  @ApiProperty(ID)
  id!: number;

  @ApiProperty({ enum: EDITION_FORMATS })
  format!: EditionFormat;

  @ApiProperty({ type: [IdentifierSchema] })
  identifiers!: EditionIdentifier[];
}

export class TitleDaySchema implements TitleDay {
  @ApiProperty(DATE)
  date!: string;

  @ApiProperty(COUNT)
  units!: number;

  @ApiProperty(MONEY)
  revenue!: number;
}

export class TitleCountrySchema implements TitleCountryFigures {
  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2; null when unknown', example: 'GB' })
  country!: string | null;

  @ApiProperty(COUNT)
  orders!: number;

  @ApiProperty(COUNT)
  units!: number;

  @ApiProperty(MONEY)
  revenue!: number;
}

export class TitleSpotifyMonthSchema implements TitleSpotifyMonth {
  @ApiProperty({ description: 'YYYY-MM', example: '2026-03' })
  month!: string;

  @ApiProperty()
  minutes!: number;

  @ApiProperty({ ...MONEY, description: 'minutes × the current pool rate' })
  estimatedRevenue!: number;

  @ApiProperty(CONFIRMED)
  confirmedRevenue!: number | null;
}

class TitleSpotifyMonthsSchema {
  @ApiProperty({ description: 'the current pool rate per minute', example: 0.00841 })
  rate!: number;

  @ApiProperty({ type: [TitleSpotifyMonthSchema] })
  months!: TitleSpotifyMonth[];
}

class TitleTotalSchema extends TitlesTotalSchema {
  @ApiProperty(MONEY)
  previousRevenue!: number;

  @ApiProperty(PERCENT_CHANGE)
  change!: number | null;
}

export class TitleDetailSchema implements TitleDetailResponse {
  @ApiProperty(ID)
  id!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

  @ApiProperty({ type: RangeBoundsSchema })
  previous!: { from: string; to: string };

  @ApiProperty({ type: [EditionSchema] })
  editions!: Edition[];

  @ApiProperty({ type: TitleTotalSchema })
  total!: TitleDetailResponse['total'];

  @ApiProperty({ type: [TitleDaySchema], description: 'every local day of the range, empty ones included' })
  daily!: TitleDay[];

  @ApiProperty({ type: [TitleDaySchema], description: 'the same for the previous range' })
  previousDaily!: TitleDay[];

  @ApiProperty({ type: [TitlePlatformSchema] })
  platforms!: TitlePlatformFigures[];

  @ApiProperty({ type: [TitleCountrySchema], description: 'by revenue' })
  countries!: TitleCountryFigures[];

  @ApiProperty({ type: TitleSpotifyMonthsSchema, description: 'the months the range touches, whole' })
  spotify!: TitleDetailResponse['spotify'];

  @ApiProperty({ type: OtherAudiobookSchema, description: "royalty statements' other partners, in the range's months" })
  otherAudiobook!: TitleOtherAudiobookIncome;

  @ApiProperty({ type: [AnalyticsWarningSchema] })
  warnings!: AnalyticsWarning[];
}

export class CatalogueEditionSchema extends EditionSchema {
  @ApiProperty({ ...COUNT, description: 'order lines on the edition, ever' })
  lines!: number;
}

export class CatalogueTitleSchema implements CatalogueTitle {
  @ApiProperty(ID)
  id!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: [CatalogueEditionSchema] })
  editions!: CatalogueTitle['editions'];

  @ApiProperty(COUNT)
  lines!: number;
}

export class CatalogueSchema implements CatalogueResponse {
  @ApiProperty({ type: [CatalogueTitleSchema] })
  titles!: CatalogueTitle[];
}

export class CatalogueChangeSchema implements CatalogueChangeResponse {
  @ApiProperty({ description: 'false for a preview (?dryRun=true): nothing was stored' })
  applied!: boolean;

  @ApiProperty({ type: [CatalogueTitleSchema], description: 'the titles concerned, as they are (would be) after it' })
  titles!: CatalogueTitle[];

  @ApiProperty({ type: 'integer', isArray: true })
  removedTitleIds!: number[];

  @ApiProperty({ ...COUNT, description: 'order lines that change title' })
  movedLines!: number;

  @ApiProperty({ ...MONEY, description: 'their revenue, ever' })
  movedRevenue!: number;
}
