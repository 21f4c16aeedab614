import type { IsoDateTime } from './common';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthResponse {
  status: HealthStatus;
  /** Why the database is down is written to the log only: the answer is public. */
  database: {
    status: 'up' | 'down';
    latencyMs: number | null;
  };
  /** When the database was last checked (every 5 minutes, and on each health request). */
  lastCheck: IsoDateTime | null;
  uptime: number;
  version: string;
}
