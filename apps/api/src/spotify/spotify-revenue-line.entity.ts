import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of a Spotify revenue report: the authoritative monthly actuals (adjustments may be negative). */
@Entity({ name: 'spotify_revenue_lines' })
export class SpotifyRevenueLine {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** First day of the reporting month. */
  @Column({ type: 'date' })
  period!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  isbn!: string;

  @Column({ name: 'title_key', type: 'text' })
  titleKey!: string;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ name: 'revenue_model', type: 'text' })
  revenueModel!: string;

  @Column({ type: 'numeric', precision: 16, scale: 2, default: 0 })
  minutes!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, default: 0 })
  units!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'net_royalty', type: 'numeric', precision: 16, scale: 4 })
  netRoyalty!: string;

  @Column({ name: 'upload_id', type: 'bigint', nullable: true })
  uploadId!: string | null;

  @Column({ name: 'source_row', type: 'integer', nullable: true })
  sourceRow!: number | null;
}
