import type { IsoDateTime } from './common';
import type { FxFetchState } from './fx';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthResponse {
  status: HealthStatus;
  /** Why the database is down is written to the log only: the answer is public. */
  database: {
    status: 'up' | 'down';
    latencyMs: number | null;
  };
  /** The daily ECB rates: `stale` (last fetch failed, or none for days) makes the status `degraded`; null while the database is down. */
  exchangeRates: FxFetchState | null;
  /** Why the status is not `ok`, in words; empty when it is. */
  reasons: string[];
  /** When the database was last checked (every 5 minutes, and on each health request). */
  lastCheck: IsoDateTime | null;
  uptime: number;
  version: string;
  /**
   * The newest dump in BACKUP_DIR (its start, and hours since then, to one decimal); null when
   * scheduled backups are off; `lastAt` null when none was written yet.
   */
  backup: { lastAt: IsoDateTime | null; ageHours: number | null } | null;
  /**
   * How late this instance's event loop ran since the previous health answer (at most the last
   * minute), in ms: a loop blocked by work is what makes every request on the instance slow.
   */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
}
