import { ApiProperty } from '@nestjs/swagger';
import type { FxFetchState, HealthResponse, HealthStatus } from '@mt/contracts';
import { DATE_TIME, literals } from '../common/api-schema';
import { FxFetchStateSchema } from '../fx/fx.responses';

/** The OpenAPI shapes of `libs/contracts/src/health.ts` (see common/api-schema.ts). */

type DatabaseHealth = HealthResponse['database'];
type EventLoopHealth = HealthResponse['eventLoop'];

export class EventLoopHealthSchema implements EventLoopHealth {
  @ApiProperty({ description: 'median delay of the event loop, ms', example: 10.1 })
  p50Ms!: number;

  @ApiProperty({ description: '99th percentile of the delay, ms', example: 12.4 })
  p99Ms!: number;

  @ApiProperty({ description: 'longest delay, ms', example: 20.3 })
  maxMs!: number;
}

export class DatabaseHealthSchema implements DatabaseHealth {
  @ApiProperty({ enum: literals<DatabaseHealth['status']>({ up: true, down: true }) })
  status!: DatabaseHealth['status'];

  @ApiProperty({ type: Number, nullable: true, description: 'of `SELECT 1`; null while down', example: 3 })
  latencyMs!: number | null;
}

export class BackupHealthSchema {
  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'when the newest dump started; null before the first' })
  lastAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'hours since then, to one decimal', example: 5.5 })
  ageHours!: number | null;
}

export class HealthResponseSchema implements HealthResponse {
  @ApiProperty({
    enum: literals<HealthStatus>({ ok: true, degraded: true, down: true }),
    description: 'degraded: the database answers slowly, or the exchange rates are stale (see `reasons`)',
  })
  status!: HealthStatus;

  @ApiProperty({ type: DatabaseHealthSchema })
  database!: DatabaseHealth;

  @ApiProperty({ type: FxFetchStateSchema, nullable: true, description: 'null while the database is down' })
  exchangeRates!: FxFetchState | null;

  @ApiProperty({ type: [String], description: 'why the status is not ok, in words; empty when it is' })
  reasons!: string[];

  @ApiProperty({ type: BackupHealthSchema, nullable: true, description: 'null when scheduled backups are off' })
  backup!: BackupHealthSchema | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'when the database was last checked' })
  lastCheck!: string | null;

  @ApiProperty({ description: 'seconds since this instance started', example: 3600 })
  uptime!: number;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({
    type: EventLoopHealthSchema,
    description: 'how late the event loop ran since the previous health answer (at most the last minute)',
  })
  eventLoop!: EventLoopHealth;
}
