import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Order } from './order.entity';

/** A refund is a dated event of its own: it lowers revenue on the day it happened (SPEC §2). */
@Entity({ name: 'refunds' })
export class Refund {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'bigint' })
  orderId!: string;

  @ManyToOne(() => Order, (order) => order.refunds, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: Order;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ name: 'refunded_at', type: 'timestamptz' })
  refundedAt!: Date;

  /** Positive amount in the order's currency. */
  @Column({ type: 'numeric', precision: 14, scale: 2 })
  amount!: string;

  @Column({ name: 'base_amount', type: 'numeric', precision: 14, scale: 2, nullable: true })
  baseAmount!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  raw!: unknown;

  @Column({ name: 'inserted_at', type: 'timestamptz', default: () => 'now()' })
  insertedAt!: Date;
}
