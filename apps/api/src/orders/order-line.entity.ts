import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Order } from './order.entity';

/**
 * One line of an order, replaced as a whole whenever its order is upserted with lines (see
 * OrdersRepository). Money in the order's currency and, converted like the order, in BASE_CURRENCY.
 */
@Entity({ name: 'order_lines' })
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'bigint' })
  orderId!: string;

  /** 1-based, in the platform's order. */
  @PrimaryColumn({ type: 'integer' })
  position!: number;

  @ManyToOne(() => Order, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: Order;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  variant!: string | null;

  @Column({ type: 'text', nullable: true })
  sku!: string | null;

  @Column({ type: 'text', nullable: true })
  gtin!: string | null;

  @Column({ name: 'product_id', type: 'text', nullable: true })
  productId!: string | null;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'numeric', precision: 14, scale: 2, nullable: true })
  unitPrice!: string | null;

  @Column({ name: 'line_total', type: 'numeric', precision: 14, scale: 2, nullable: true })
  lineTotal!: string | null;

  @Column({ name: 'refunded_amount', type: 'numeric', precision: 14, scale: 2, default: 0 })
  refundedAmount!: string;

  @Column({ name: 'refunded_quantity', type: 'integer', default: 0 })
  refundedQuantity!: number;

  @Column({ name: 'base_line_total', type: 'numeric', precision: 14, scale: 2, nullable: true })
  baseLineTotal!: string | null;

  @Column({ name: 'base_refunded_amount', type: 'numeric', precision: 14, scale: 2, nullable: true })
  baseRefundedAmount!: string | null;
}
