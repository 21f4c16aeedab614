import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SETTLEMENT_CADENCES, type SettlementCadence } from '@mt/contracts';
import { ClockQuery } from '../common/clock';
import { IsCount } from '../common/validation';

export class SpotifyMinutesQuery extends ClockQuery {
  @ApiPropertyOptional({
    description: 'The last N complete ISO weeks (the week in progress is left out)',
    minimum: 1,
    maximum: 104,
    default: 12,
  })
  @IsCount(1, 104)
  weeks: number = 12;
}

export class SpotifyCountriesQuery extends ClockQuery {
  @ApiPropertyOptional({
    description: 'The last N complete ISO weeks (the week in progress is left out)',
    minimum: 1,
    maximum: 52,
    default: 8,
  })
  @IsCount(1, 52)
  weeks: number = 8;
}

export class SpotifySettingsDto {
  @ApiProperty({ description: 'Pool rate in $ per minute listened', example: 0.00841 })
  @IsNumber({ maxDecimalPlaces: 8 })
  @Min(0.000001)
  @Max(1)
  poolRate!: number;

  @ApiProperty({ description: 'Where the rate comes from', example: '2025-Q3 actual' })
  @IsString()
  @Length(1, 200)
  poolRateSource!: string;

  @ApiProperty({ description: 'Average audiobook length in minutes', example: 530 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(100000)
  averageBookMinutes!: number;

  @ApiPropertyOptional({ enum: SETTLEMENT_CADENCES, description: 'Paid monthly or quarterly; unchanged when left out' })
  @IsOptional()
  @IsIn(SETTLEMENT_CADENCES)
  cadence?: SettlementCadence;
}

export class SpotifyMonthsQuery extends ClockQuery {
  @ApiPropertyOptional({
    description: 'The last N months, the month holding now included',
    minimum: 1,
    maximum: 60,
    default: 12,
  })
  @IsCount(1, 60)
  months: number = 12;
}
