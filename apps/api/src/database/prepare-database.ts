import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { seedDemoData } from '../demo/demo-seed';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedServer } from './embedded-postgres';

export const EMBEDDED_DATABASE = 'mtink';

export interface PreparedDatabase {
  /** The config with `databaseUrl` resolved. */
  config: AppConfig;
  /** Set when we started an embedded server, which must be stopped on shutdown. */
  embedded: EmbeddedServer | null;
}

/**
 * Before Nest starts: start the embedded PostgreSQL when no DATABASE_URL is given, run pending
 * migrations, and fill demo data on the first start only.
 */
export async function prepareDatabase(config: AppConfig, logger = new Logger('Database')): Promise<PreparedDatabase> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    const dataDir = resolve(config.dataDir, 'pg');
    embedded = new EmbeddedServer({ dataDir, port: config.embeddedPort });
    logger.log(`starting embedded PostgreSQL 18 in ${dataDir} on port ${config.embeddedPort}`);
    await embedded.start();
    await embedded.ensureDatabase(EMBEDDED_DATABASE);
    url = embedded.url(EMBEDDED_DATABASE);
  }
  try {
    const dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
      if (config.demoData) {
        const seeded = await seedDemoData(dataSource, {
          baseCurrency: config.baseCurrency,
          timeZone: config.businessTimezone,
          onlyIfEmpty: true,
        });
        if (seeded) logger.log(`demo data: ${seeded.orders} orders, ${seeded.spotifyRows} Spotify rows`);
      }
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return { config: Object.assign(Object.create(AppConfig.prototype), config, { databaseUrl: url }), embedded };
}
