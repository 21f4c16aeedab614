import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { prepareDatabase } from './database/prepare-database';
import { createRootLogger, EarlyLogger, QuietFrameworkLogger } from './logging/logging.module';

/** Beyond this, a request that will not finish must not keep a deploy waiting (compose allows 30 s). */
const DRAIN_TIMEOUT_MS = 25_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // The configured format from the first line on; the app's nestjs-pino logger takes over once it exists.
  Logger.overrideLogger(new QuietFrameworkLogger(new EarlyLogger(createRootLogger(config))));
  const logger = new Logger('Main');
  const { config: resolved, embedded } = await prepareDatabase(config);
  const app = await createApp(resolved);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining connections`);
    setTimeout(() => {
      logger.error(`requests still running after ${DRAIN_TIMEOUT_MS} ms: exiting anyway`);
      process.exit(1);
    }, DRAIN_TIMEOUT_MS).unref();
    try {
      // app.close() stops accepting, lets running requests finish, runs the modules' shutdown hooks and
      // closes the database pool; only then may the embedded server go.
      await app.close();
      logger.log('HTTP server and database pool closed');
      if (embedded) {
        await embedded.stop();
        logger.log('embedded PostgreSQL stopped');
      }
    } catch (error) {
      logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
  await app.listen(resolved.port);
  logger.log(`MT Ink Dashboard on http://localhost:${resolved.port} (API docs: /api/docs)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
