import { ApiProperty } from '@nestjs/swagger';
import {
  ALERT_KINDS,
  type AlertCheckResponse,
  type AlertDelivery,
  type AlertEvent,
  type AlertEventsResponse,
  type AlertKind,
  type AlertRule,
} from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';

/** The OpenAPI shapes of `libs/contracts/src/alerts.ts` (see common/api-schema.ts). */

const CLOCK_TIME = { type: String, nullable: true, example: '08:00' };

export class AlertRuleSchema implements AlertRule {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ enum: ALERT_KINDS })
  kind!: AlertKind;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'day_revenue: amount in the base currency; week_orders: orders; otherwise null',
  })
  threshold!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'silence only: hours without an order' })
  hours!: number | null;

  @ApiProperty({ ...CLOCK_TIME, description: 'silence only: start of the watched hours, HH:MM local' })
  activeFrom!: string | null;

  @ApiProperty({ ...CLOCK_TIME, description: 'silence only: end of the watched hours (exclusive), HH:MM local' })
  activeTo!: string | null;

  @ApiProperty({ ...CLOCK_TIME, description: 'daily_digest only: when to send, HH:MM local' })
  sendAt!: string | null;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty(DATE_TIME)
  updatedAt!: string;
}

export class AlertEventSchema implements AlertEvent {
  @ApiProperty({ type: 'integer' })
  id!: number;

  @ApiProperty({ type: 'integer' })
  ruleId!: number;

  @ApiProperty({ enum: ALERT_KINDS })
  kind!: AlertKind;

  @ApiProperty()
  ruleName!: string;

  @ApiProperty({ description: "the period it fired for: a date, a week's Monday, or when a quiet spell began" })
  periodKey!: string;

  @ApiProperty(DATE_TIME)
  firedAt!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ enum: literals<AlertDelivery>({ pending: true, sent: true, failed: true, not_configured: true }) })
  delivery!: AlertDelivery;

  @ApiProperty({ type: String, nullable: true })
  deliveryError!: string | null;
}

export class AlertEventsResponseSchema implements AlertEventsResponse {
  @ApiProperty({ type: [AlertEventSchema], description: 'newest first' })
  events!: AlertEvent[];
}

export class AlertCheckResponseSchema implements AlertCheckResponse {
  @ApiProperty(DATE_TIME)
  asOf!: string;

  @ApiProperty({ type: [AlertEventSchema], description: 'what this run fired' })
  fired!: AlertEvent[];
}
