import { ApiProperty } from '@nestjs/swagger';
import type {
  PushPreferences,
  PushPublicKeyResponse,
  PushSubscriptionResponse,
  PushSubscriptionsResponse,
  QuietHours,
} from '@mt/contracts';
import { DATE_TIME } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/push.ts` (see common/api-schema.ts). */

export class PushPublicKeySchema implements PushPublicKeyResponse {
  @ApiProperty({ description: 'false: the server has no VAPID keys' })
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'applicationServerKey, base64url' })
  publicKey!: string | null;
}

class QuietHoursSchema implements QuietHours {
  @ApiProperty({ example: '22:00' })
  from!: string;

  @ApiProperty({ example: '07:00' })
  to!: string;

  @ApiProperty({ example: 'Europe/Berlin' })
  timeZone!: string;
}

class PushPreferencesSchema implements PushPreferences {
  @ApiProperty()
  everyOrder!: boolean;

  @ApiProperty({ type: Number, nullable: true, example: 100 })
  ordersOver!: number | null;

  @ApiProperty()
  alerts!: boolean;

  @ApiProperty()
  dailyDigest!: boolean;

  @ApiProperty({ type: QuietHoursSchema, nullable: true })
  quietHours!: QuietHours | null;

  @ApiProperty()
  hideAmounts!: boolean;
}

export class PushSubscriptionSchema implements PushSubscriptionResponse {
  @ApiProperty({ example: '12' })
  id!: string;

  @ApiProperty()
  endpoint!: string;

  @ApiProperty({ type: PushPreferencesSchema })
  preferences!: PushPreferences;

  @ApiProperty(DATE_TIME)
  createdAt!: string;
}

export class PushSubscriptionsSchema implements PushSubscriptionsResponse {
  @ApiProperty({ type: [PushSubscriptionSchema] })
  subscriptions!: PushSubscriptionResponse[];
}
