import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Settings an admin changes at run time (pool rate, book length, goals…), as JSON by key. */
@Entity({ name: 'settings' })
export class Setting {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
