import type { EntityManager } from 'typeorm';

/**
 * Runs a load that inserts many orders, lines and refunds (the demo seed) in `manager`'s transaction
 * with the titles triggers standing aside, then does their work once for everything, set-based: lines
 * matched to editions, orders allocated, the title rollups rebuilt (see the TitleHourlyRollups
 * migration). The figures are the same as the triggers' would be; the load no longer pays per statement
 * for id lists of a million orders, nor marks every hour of two years for a fold to recount one by one.
 */
export async function withTitlesBulkLoad<T>(manager: EntityManager, zone: string, load: () => Promise<T>): Promise<T> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('a titles bulk load needs a transaction');
  await manager.query(`SET LOCAL mtink.titles_bulk_load = 'on'`);
  const result = await load();
  await manager.query(`SET LOCAL mtink.titles_bulk_load = 'off'`);
  await manager.query(`SELECT titles_after_bulk_load($1)`, [zone]);
  return result;
}
