import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** TypeORM name of the data source whose connections only webhooks use: `@InjectDataSource(WEBHOOK_CONNECTIONS)`. */
export const WEBHOOK_CONNECTIONS = 'webhooks';
/** TypeORM name of the data source of the streamed exports: `@InjectDataSource(EXPORT_CONNECTIONS)`. */
export const EXPORT_CONNECTIONS = 'exports';
/** TypeORM name of the data source of the prepared reads on generic plans: `@InjectDataSource(GENERIC_PLAN_READS)`. */
export const GENERIC_PLAN_READS = 'reads';

export type PoolName = 'main' | typeof WEBHOOK_CONNECTIONS | typeof EXPORT_CONNECTIONS | typeof GENERIC_PLAN_READS;

/** Connections the webhooks keep for themselves: the batcher's statement and a few refund transactions. */
const WEBHOOK_POOL_SIZE = 4;
/** A title page runs its eight reads at once; more than one page's worth at a time only queues for the cores. */
const GENERIC_PLAN_POOL_SIZE = 8;

/**
 * Four pools per instance, so that no slow consumer can take what a platform waits for (SPEC §9):
 *
 * - `main` (20): every request and job.
 * - `webhooks` (4): only the webhook path. A connection not had within the store deadline is an error
 *   (answered 503, the platform retries), never a 5 s wait; a statement held up by a lock is cancelled
 *   at five deadlines, so that a stall cannot hold the reserved connections for long.
 * - `exports` (EXPORTS_MAX): one per running export, whose cursor lives as long as its client reads;
 *   the export slots (see ExportSlots) keep it from ever queueing.
 * - `reads` (8): prepared reads whose plan never depends on their values (see `preparedQuery`): the
 *   titles endpoints' and the warnings of every range. Their windows come as arrays joined laterally,
 *   whose contents the planner does not look into, so each statement's one generic plan is the plan its
 *   custom ones would be (`plan_cache_mode`). PostgreSQL kept planning them anew on every request
 *   because the custom plans looked cheaper: a title page's reads planned for 3–4 ms each to run in 2.
 *   Kept apart because the setting is a connection's: the other pools' statements are planned for their
 *   values as before.
 *
 * Each pool names itself to PostgreSQL (`application_name`, unless DATABASE_URL sets one), so that
 * pg_stat_activity shows who holds what.
 */
export function poolOptions(url: string, pool: PoolName, config: AppConfig): DataSourceOptions {
  const named = { application_name: pool === 'main' ? 'mtink' : `mtink-${pool}` };
  if (pool === 'main') return dataSourceOptions(url, { extra: { ...named, max: 20, connectionTimeoutMillis: 5000 } });
  const extra = {
    [WEBHOOK_CONNECTIONS]: {
      max: WEBHOOK_POOL_SIZE,
      connectionTimeoutMillis: config.webhookStoreDeadlineMs,
      statement_timeout: config.webhookStoreDeadlineMs * 5,
    },
    [EXPORT_CONNECTIONS]: { max: config.exportLimits.total, connectionTimeoutMillis: 5000 },
    [GENERIC_PLAN_READS]: {
      max: GENERIC_PLAN_POOL_SIZE,
      connectionTimeoutMillis: 5000,
      options: '-c plan_cache_mode=force_generic_plan',
    },
  }[pool];
  const shared = { name: pool, entities: [], migrations: [] };
  return dataSourceOptions(url, { ...shared, extra: { ...named, ...extra } });
}
