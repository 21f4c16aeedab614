import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { PushPreferencesRequest, PushSubscribeRequest, QuietHours } from '@mt/contracts';
import { CLOCK_TIME } from '../common/validation';

const BASE64URL = /^[A-Za-z0-9_-]+=*$/;

export class QuietHoursDto implements QuietHours {
  @ApiProperty({ description: 'start, HH:MM on the device clock', example: '22:00' })
  @Matches(CLOCK_TIME, { message: 'from must be a time HH:MM' })
  from!: string;

  @ApiProperty({ description: 'end (exclusive), HH:MM; may be before from (over midnight)', example: '07:00' })
  @Matches(CLOCK_TIME, { message: 'to must be a time HH:MM' })
  to!: string;

  @ApiProperty({ description: "the device's IANA time zone", example: 'Europe/Berlin' })
  @ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isTimeZone(value),
      defaultMessage: () => 'timeZone must be an IANA time zone such as Europe/Berlin',
    },
  })
  timeZone!: string;
}

export class PushPreferencesDto implements PushPreferencesRequest {
  @ApiPropertyOptional({ description: 'every new order rings' })
  @IsOptional()
  @IsBoolean()
  everyOrder?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'with everyOrder off: orders of at least this amount (base currency) ring',
    example: 100,
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: 'ordersOver must be an amount with at most 2 decimals, or null' },
  )
  @Min(0.01)
  @Max(1_000_000_000)
  ordersOver?: number | null;

  @ApiPropertyOptional({ description: 'fired alerts ring' })
  @IsOptional()
  @IsBoolean()
  alerts?: boolean;

  @ApiPropertyOptional({ description: 'the daily digest rings' })
  @IsOptional()
  @IsBoolean()
  dailyDigest?: boolean;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'notifications arrive silently then' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ description: 'presenter mode on this device: no amounts' })
  @IsOptional()
  @IsBoolean()
  hideAmounts?: boolean;
}

export class PushKeysDto {
  @ApiProperty({ description: "the device's P-256 key, base64url" })
  @IsString()
  @Matches(BASE64URL, { message: 'p256dh must be base64url' })
  @MaxLength(200)
  p256dh!: string;

  @ApiProperty({ description: "the device's auth secret, base64url" })
  @IsString()
  @Matches(BASE64URL, { message: 'auth must be base64url' })
  @MaxLength(100)
  auth!: string;
}

/** `PushSubscription.toJSON()` of the device (its `expirationTime` is accepted and not kept). */
export class PushSubscribeDto implements PushSubscribeRequest {
  @ApiProperty({ description: 'the push service URL of the device', example: 'https://fcm.googleapis.com/fcm/send/…' })
  @IsString()
  @MaxLength(2000)
  endpoint!: string;

  @ApiProperty({ type: PushKeysDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys!: PushKeysDto;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  expirationTime?: number | null;

  @ApiPropertyOptional({ type: PushPreferencesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PushPreferencesDto)
  preferences?: PushPreferencesDto;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
