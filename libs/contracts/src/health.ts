import type { IsoDateTime } from './common';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthResponse {
  status: HealthStatus;
  database: {
    status: 'up' | 'down';
    latencyMs: number | null;
    error: string | null;
  };
  /** When the database was last checked (every 5 minutes, and on each health request). */
  lastCheck: IsoDateTime | null;
  uptime: number;
  version: string;
  /**
   * The newest dump in BACKUP_DIR (its start, and hours since then, to one decimal); null when
   * scheduled backups are off; `lastAt` null when none was written yet.
   */
  backup: { lastAt: IsoDateTime | null; ageHours: number | null } | null;
}
