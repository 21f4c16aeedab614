import { ApiProperty } from '@nestjs/swagger';
import type {
  FxCurrencyStatus,
  FxFetchState,
  FxFetchStatus,
  FxRate,
  FxRateSource,
  FxRatesResponse,
  FxRatesStoredResponse,
  FxRefreshResponse,
  FxStatusResponse,
} from '@mt/contracts';
import { DATE, DATE_TIME, literals } from '../common/api-schema';
import { AnalyticsWarningSchema } from '../comparison/comparison.responses';

/** The OpenAPI shapes of `libs/contracts/src/fx.ts` (see common/api-schema.ts). */

const RATE_SOURCES = literals<FxRateSource>({ ecb: true, file: true, api: true, demo: true });

export class FxRateSchema implements FxRate {
  @ApiProperty(DATE)
  date!: string;

  @ApiProperty({ example: 'ZAR' })
  currency!: string;

  @ApiProperty({ description: 'units of the base currency for 1 unit of `currency`, exact', example: '0.0541' })
  rate!: string;

  @ApiProperty({ enum: RATE_SOURCES })
  source!: FxRateSource;

  @ApiProperty({ type: String, nullable: true, description: 'file name or URL' })
  origin!: string | null;

  @ApiProperty(DATE_TIME)
  addedAt!: string;
}

export class FxRatesResponseSchema implements FxRatesResponse {
  @ApiProperty({ example: 'USD' })
  base!: string;

  @ApiProperty({ type: [FxRateSchema] })
  rates!: FxRate[];
}

export class FxConvertedSchema {
  @ApiProperty({ type: 'integer' })
  orders!: number;

  @ApiProperty({ type: 'integer' })
  refunds!: number;
}

export class FxRatesStoredResponseSchema implements FxRatesStoredResponse {
  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: FxConvertedSchema, description: 'orders and refunds whose base amount this changed' })
  converted!: FxConvertedSchema;

  @ApiProperty({ type: [AnalyticsWarningSchema], description: 'what still waits for a rate; empty when nothing' })
  warnings!: AnalyticsWarningSchema[];
}

export class FxFetchStateSchema implements FxFetchState {
  @ApiProperty({ enum: literals<FxFetchStatus>({ ok: true, stale: true, pending: true, off: true }) })
  status!: FxFetchStatus;

  @ApiProperty({ type: String, nullable: true, description: 'FX_RATES_URL; null when the fetch is off' })
  url!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastAttemptAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastSuccessAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;
}

export class FxCurrencyStatusSchema implements FxCurrencyStatus {
  @ApiProperty({ example: 'ZAR' })
  currency!: string;

  @ApiProperty({ ...DATE, nullable: true })
  lastRateDate!: string | null;

  @ApiProperty({ enum: RATE_SOURCES, nullable: true })
  lastRateSource!: FxRateSource | null;

  @ApiProperty({ type: 'integer', description: 'counted orders in this currency still without a base amount' })
  waitingOrders!: number;

  @ApiProperty({ type: 'integer' })
  waitingRefunds!: number;
}

export class FxStatusResponseSchema implements FxStatusResponse {
  @ApiProperty({ example: 'USD' })
  base!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the daily rates URL; null when the fetch is off' })
  source!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'the last successful fetch' })
  lastFetch!: string | null;

  @ApiProperty({ type: FxFetchStateSchema })
  fetch!: FxFetchState;

  @ApiProperty({ type: [FxCurrencyStatusSchema] })
  currencies!: FxCurrencyStatus[];

  @ApiProperty({ type: [AnalyticsWarningSchema] })
  warnings!: AnalyticsWarningSchema[];
}

export class FxRefreshResponseSchema implements FxRefreshResponse {
  @ApiProperty({ description: 'false when another instance was fetching' })
  ran!: boolean;

  @ApiProperty({ type: 'integer' })
  inserted!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: FxConvertedSchema })
  converted!: FxConvertedSchema;

  @ApiProperty({ type: FxFetchStateSchema })
  fetch!: FxFetchState;
}
