import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig } from '../apps/api/src/config/app-config';
import { EmbeddedServer } from '../apps/api/src/database/embedded-postgres';
import { EMBEDDED_DATABASE } from '../apps/api/src/database/prepare-database';

/**
 * `npm run migration:run|revert|generate -- [args]`: the TypeORM CLI on DATABASE_URL, or on the embedded
 * database under ./.data (started for the command and stopped after; stop `npm start` first).
 * generate: `npm run migration:generate -- migrations/<Name>` then review the file and add it to
 * migrations/index.ts.
 */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new Error('usage: scripts/typeorm.ts migration:run|migration:revert|migration:generate <path>');
  const config = loadConfig();
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = new EmbeddedServer({ dataDir: resolve(config.dataDir, 'pg'), port: config.embeddedPort });
    await embedded.start();
    await embedded.ensureDatabase(EMBEDDED_DATABASE);
    url = embedded.url(EMBEDDED_DATABASE);
  }
  try {
    const result = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        require.resolve('typeorm/cli.js'),
        command,
        '-d',
        'apps/api/src/database/data-source.ts',
        ...args,
      ],
      { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } },
    );
    process.exitCode = result.status ?? 1;
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
