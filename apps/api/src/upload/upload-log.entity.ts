import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface UploadRowError {
  row: number;
  column: string | null;
  message: string;
}

/** Who uploaded which file when, its content hash and what came of it. */
@Entity({ name: 'upload_log' })
export class UploadLog {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz', default: () => 'now()' })
  uploadedAt!: Date;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'file_hash', type: 'text' })
  fileHash!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ type: 'text', nullable: true })
  type!: string | null;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', default: 0 })
  rows!: number;

  @Column({ type: 'integer', default: 0 })
  inserted!: number;

  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  errors!: UploadRowError[];
}
