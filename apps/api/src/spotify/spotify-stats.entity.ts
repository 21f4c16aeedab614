import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Listening minutes of one title in one country in one week (Monday) or month (first day). */
abstract class SpotifyStatsRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  isbn!: string;

  /** ISBN when the report has one, else the normalised title: half of the natural key. */
  @Column({ name: 'title_key', type: 'text' })
  titleKey!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'numeric', precision: 16, scale: 2 })
  minutes!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  completes!: string | null;

  @Column({ name: 'upload_id', type: 'bigint', nullable: true })
  uploadId!: string | null;
}

@Entity({ name: 'spotify_weekly_stats' })
export class SpotifyWeeklyStats extends SpotifyStatsRow {
  @Column({ name: 'week_start', type: 'date' })
  weekStart!: string;
}

@Entity({ name: 'spotify_monthly_stats' })
export class SpotifyMonthlyStats extends SpotifyStatsRow {
  @Column({ type: 'date' })
  month!: string;
}
