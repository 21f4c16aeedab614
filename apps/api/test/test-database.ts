import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { TEST_TEMPLATE_DB, testAdminUrl, withDatabase } from './test-server';

/** A fresh, migrated database of this test file's own, cloned from the template in about 50 ms. */
export interface TestDatabase {
  url: string;
  name: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

const DEADLOCK = '40P01';
const TRUNCATE_ATTEMPTS = 5;

/**
 * `TRUNCATE <tables> CASCADE`, taken again when PostgreSQL ends it as a deadlock: work the app
 * runs after a response (the pushed figures of the last test's orders) reads these tables while the
 * truncate locks them one after the other, and the deadlock detector then cancels one of the two.
 */
export async function truncate(db: TestDatabase, ...tables: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.dataSource.query(`TRUNCATE ${tables.join(', ')} CASCADE`);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK || attempt === TRUNCATE_ATTEMPTS) throw error;
    }
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  const name = `mtink_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEST_TEMPLATE_DB}`);
  const url = withDatabase(adminUrl, name);
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  return {
    url,
    name,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
