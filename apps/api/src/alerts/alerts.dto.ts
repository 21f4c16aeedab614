import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ALERT_KINDS, type AlertKind, type AlertRuleRequest } from '@mt/contracts';
import { ClockQuery } from '../common/clock';
import { CLOCK_TIME, IsCount } from '../common/validation';

export class AlertRuleDto implements AlertRuleRequest {
  @ApiProperty({ enum: ALERT_KINDS })
  @IsIn(ALERT_KINDS)
  kind!: AlertKind;

  @ApiPropertyOptional({ description: 'Shown in the dashboard; a default is made from the rule when empty' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'day_revenue: amount in the base currency; week_orders: orders', example: 1000 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1_000_000_000)
  threshold?: number | null;

  @ApiPropertyOptional({ description: 'silence: hours without an order', minimum: 1, maximum: 168, example: 12 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(168)
  hours?: number | null;

  @ApiPropertyOptional({ description: 'silence: start of the watched hours, HH:MM local', example: '08:00' })
  @IsOptional()
  @Matches(CLOCK_TIME, { message: 'activeFrom must be a time HH:MM' })
  activeFrom?: string | null;

  @ApiPropertyOptional({ description: 'silence: end of the watched hours (exclusive), HH:MM local', example: '22:00' })
  @IsOptional()
  @Matches(CLOCK_TIME, { message: 'activeTo must be a time HH:MM' })
  activeTo?: string | null;

  @ApiPropertyOptional({ description: 'daily_digest: when to send, HH:MM local', example: '07:30' })
  @IsOptional()
  @Matches(CLOCK_TIME, { message: 'sendAt must be a time HH:MM' })
  sendAt?: string | null;
}

export class AlertEventsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsCount(1, 500)
  limit: number = 50;
}

export class AlertCheckQuery extends ClockQuery {}
