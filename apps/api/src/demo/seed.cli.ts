import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { EMBEDDED_DATABASE } from '../database/prepare-database';
import { EmbeddedServer } from '../database/embedded-postgres';
import { resolve } from 'node:path';
import { foldAfterBulkLoad, resetDemoData, seedDemoData } from './demo-seed';

/**
 * `npm run demo:seed -- --orders 1000000 [--reset]`: fills demo data into DATABASE_URL or the embedded
 * database (start-up migrations included), then folds the rollups, so that the next start has nothing
 * to fold. With --reset, orders, refunds, Spotify stats and the rollups are emptied first; without it, a
 * database that has orders is refused (the demo's orders would collide with themselves).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const ordersArg = args[args.indexOf('--orders') + 1];
  const orders = args.includes('--orders') ? Number(ordersArg) : 60_000;
  if (!Number.isInteger(orders) || orders < 1)
    throw new Error(`--orders must be a positive whole number, got "${ordersArg}"`);
  const config = loadConfig();
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = new EmbeddedServer({ dataDir: resolve(config.dataDir, 'pg'), port: config.embeddedPort });
    await embedded.start();
    await embedded.ensureDatabase(EMBEDDED_DATABASE);
    url = embedded.url(EMBEDDED_DATABASE);
  }
  const dataSource = new DataSource(dataSourceOptions(url));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    if (args.includes('--reset')) await resetDemoData(dataSource);
    else if ((await dataSource.query(`SELECT 1 FROM orders LIMIT 1`)).length)
      throw new Error('the database has orders already: add --reset to replace them with the demo set');
    let started = Date.now();
    const result = await seedDemoData(dataSource, {
      orders,
      baseCurrency: config.baseCurrency,
      timeZone: config.businessTimezone,
    });
    console.log(
      `seeded ${result?.orders} orders, ${result?.lines} lines, ${result?.refunds} refunds, ${result?.spotifyRows} Spotify rows in ${seconds(started)} s`,
    );
    started = Date.now();
    const folded = await foldAfterBulkLoad(dataSource, config.businessTimezone);
    console.log(`folded ${folded} hours into the rollups in ${seconds(started)} s`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
