import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { EMBEDDED_DATABASE } from '../database/prepare-database';
import { EmbeddedServer } from '../database/embedded-postgres';
import { resolve } from 'node:path';
import { seedDemoData } from './demo-seed';

/**
 * `npm run demo:seed -- --orders 1000000 [--reset]`: fills demo data into DATABASE_URL or the embedded
 * database (start-up migrations included). With --reset, orders, refunds and Spotify stats are emptied first.
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
    if (args.includes('--reset')) {
      await dataSource.query(
        `TRUNCATE orders, refunds, fx_rates, spotify_weekly_stats, spotify_week_country_totals, titles, title_daily_totals,
           title_daily_countries, title_hourly_dirty, title_rollup_zone CASCADE`,
      );
      await dataSource.query(`DELETE FROM settings WHERE key = 'demo.seededAt'`);
    }
    const started = Date.now();
    const result = await seedDemoData(dataSource, {
      orders,
      baseCurrency: config.baseCurrency,
      timeZone: config.businessTimezone,
    });
    console.log(
      `seeded ${result?.orders} orders, ${result?.lines} lines, ${result?.refunds} refunds, ${result?.spotifyRows} Spotify rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
