import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 1 unit of `currency` = `rate` units of `baseCurrency` on `day`. */
@Entity({ name: 'fx_rates' })
export class FxRate {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  @PrimaryColumn({ name: 'base_currency', type: 'char', length: 3 })
  baseCurrency!: string;

  @Column({ type: 'numeric', precision: 20, scale: 10 })
  rate!: string;
}
