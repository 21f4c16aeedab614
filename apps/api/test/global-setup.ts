import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EmbeddedServer } from '../src/database/embedded-postgres';
import { dataSourceOptions } from '../src/database/data-source-options';
import { ENV_ADMIN_URL, TEST_TEMPLATE_DB, withDatabase } from './test-server';

declare global {
  var __MTINK_TEST_SERVER__: EmbeddedServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const server = new EmbeddedServer({
      dataDir: mkdtempSync(join(tmpdir(), 'mtink-test-pg-')),
      port: await freePort(),
      ephemeral: true,
    });
    await server.start();
    globalThis.__MTINK_TEST_SERVER__ = server;
    adminUrl = server.url('postgres');
  }
  process.env[ENV_ADMIN_URL] = adminUrl;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEST_TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEST_TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const template = new DataSource(dataSourceOptions(withDatabase(adminUrl, TEST_TEMPLATE_DB)));
  await template.initialize();
  await template.runMigrations();
  await template.destroy();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
