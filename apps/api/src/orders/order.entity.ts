import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { Platform } from '@mt/contracts';
import { Refund } from './refund.entity';

/** An order as the platform reported it last; money as exact decimal strings (`numeric`). */
@Entity({ name: 'orders' })
export class Order {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  platform!: Platform;

  @Column({ type: 'text', default: '' })
  store!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ name: 'order_number', type: 'text', nullable: true })
  orderNumber!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2 })
  total!: string;

  /** Total in BASE_CURRENCY; null when it could not be converted (left out of sums, reported). */
  @Column({ name: 'base_total', type: 'numeric', precision: 14, scale: 2, nullable: true })
  baseTotal!: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'boolean', default: false })
  test!: boolean;

  /** False while the platform has no price for the order (Amazon Pending): then it does not count. */
  @Column({ type: 'boolean', default: true })
  priced!: boolean;

  /** Digest of the lines last stored (OrdersRepository), null while none are. */
  @Column({ name: 'lines_digest', type: 'text', nullable: true })
  linesDigest!: string | null;

  /** A stored generated column (see the migrations): priced, not a test, not cancelled or voided. */
  @Column({ type: 'boolean', insert: false, update: false })
  counted!: boolean;

  @Column({ name: 'platform_updated_at', type: 'timestamptz', nullable: true })
  platformUpdatedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  raw!: unknown;

  @Column({ name: 'inserted_at', type: 'timestamptz', default: () => 'now()' })
  insertedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @OneToMany(() => Refund, (refund) => refund.order)
  refunds?: Refund[];
}
