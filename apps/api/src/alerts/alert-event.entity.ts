import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertDelivery } from '@mt/contracts';

/** An alert a rule fired for one period; unique on (rule, period), which is what stops double sends. */
@Entity({ name: 'alert_events' })
export class AlertEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'rule_id', type: 'bigint' })
  ruleId!: string;

  @Column({ name: 'period_key', type: 'text' })
  periodKey!: string;

  @Column({ name: 'fired_at', type: 'timestamptz', default: () => 'now()' })
  firedAt!: Date;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text', default: 'pending' })
  delivery!: AlertDelivery;

  @Column({ name: 'delivery_error', type: 'text', nullable: true })
  deliveryError!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
