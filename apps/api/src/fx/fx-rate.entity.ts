import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FxRateSource } from '@mt/contracts';

/** 1 unit of `currency` = `rate` units of `baseCurrency` on `day`; written only by FxRepository. */
@Entity({ name: 'fx_rates' })
export class FxRate {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  @PrimaryColumn({ name: 'base_currency', type: 'char', length: 3 })
  baseCurrency!: string;

  @Column({ type: 'numeric', precision: 24, scale: 14 })
  rate!: string;

  @Column({ type: 'text' })
  source!: FxRateSource;

  /** The file name or URL the rate came from. */
  @Column({ type: 'text', nullable: true })
  origin!: string | null;

  @Column({ name: 'added_at', type: 'timestamptz' })
  addedAt!: Date;

  @Column({ name: 'added_by', type: 'bigint', nullable: true })
  addedBy!: string | null;
}
