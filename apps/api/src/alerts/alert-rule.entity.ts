import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertKind } from '@mt/contracts';

/** A rule an admin set up; which fields are used depends on `kind` (see `AlertRule` in @mt/contracts). */
@Entity({ name: 'alert_rules' })
export class AlertRuleEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: AlertKind;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Decimal string (`numeric`). */
  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  threshold!: string | null;

  @Column({ type: 'integer', nullable: true })
  hours!: number | null;

  /** `HH:MM:SS` as PostgreSQL returns `time`. */
  @Column({ name: 'active_from', type: 'time', nullable: true })
  activeFrom!: string | null;

  @Column({ name: 'active_to', type: 'time', nullable: true })
  activeTo!: string | null;

  @Column({ name: 'send_at', type: 'time', nullable: true })
  sendAt!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
