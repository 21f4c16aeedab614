import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A settled quarter entered by hand (or shipped with the demo) for quarters without revenue reports. */
@Entity({ name: 'spotify_quarter_actuals' })
export class SpotifyQuarterActual {
  /** `YYYY-Qn` */
  @PrimaryColumn({ type: 'text' })
  quarter!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2 })
  revenue!: string;

  @Column({ type: 'numeric', precision: 16, scale: 2 })
  minutes!: string;

  @Column({ type: 'numeric', precision: 12, scale: 1, nullable: true })
  completes!: string | null;

  @Column({ type: 'text', default: 'manual' })
  source!: string;
}
