import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DataSource } from 'typeorm';
import { EventLoopMonitor } from '../apps/api/src/common/event-loop';
import { loadConfig } from '../apps/api/src/config/app-config';
import { AdvisoryLocks } from '../apps/api/src/database/advisory-lock';
import { dataSourceOptions } from '../apps/api/src/database/data-source-options';
import { FxRepository } from '../apps/api/src/fx/fx.repository';
import { FxService } from '../apps/api/src/fx/fx.service';
import { OrderImportService } from '../apps/api/src/orders/import/order-import.service';
import { OrderIngestService } from '../apps/api/src/orders/order-ingest.service';
import { OrdersRepository } from '../apps/api/src/orders/orders.repository';
import { SourcesRepository } from '../apps/api/src/orders/sources/sources.repository';
import { SourcesService } from '../apps/api/src/orders/sources/sources.service';
import { DomainEvents } from '../apps/api/src/realtime/domain-events';
import { SalesRepository } from '../apps/api/src/sales/sales.repository';
import { CatalogueRepository } from '../apps/api/src/titles/catalogue.repository';
import { UploadRepository } from '../apps/api/src/upload/upload.repository';
import { UploadService } from '../apps/api/src/upload/upload.service';
import { SpotifyRepository } from '../apps/api/src/spotify/spotify.repository';
import { SpotifyService } from '../apps/api/src/spotify/spotify.service';
import { StatementsRepository } from '../apps/api/src/spotify/statements.repository';
import { StatementsService } from '../apps/api/src/spotify/statements.service';

/**
 * Run by spotify.bench.ts in a process of its own, so that its peak RSS is the import's and nothing
 * else's: `spotify-import.child.ts <database url> <file path>…` imports the files as one upload and
 * prints one JSON line (the first file's result, and every file's).
 */
async function main(): Promise<void> {
  const [url, ...paths] = process.argv.slice(2) as [string, ...string[]];
  const dataSource = new DataSource(dataSourceOptions(url, { extra: { max: 2 } } as never));
  await dataSource.initialize();
  const config = loadConfig({ DATABASE_URL: url, DEMO_DATA: 'false' });
  const events = new DomainEvents();
  const fx = new FxService(
    new FxRepository(dataSource, config),
    new OrdersRepository(dataSource, config),
    events,
    new AdvisoryLocks(dataSource),
    config,
  );
  const orders = new OrdersRepository(dataSource, config);
  const orderImports = new OrderImportService(
    config,
    orders,
    new OrderIngestService(
      orders,
      orders,
      events,
      config,
      new CatalogueRepository(dataSource, config),
      new SalesRepository(dataSource, config, dataSource),
    ),
    new SourcesService(new SourcesRepository(dataSource), events),
  );
  const spotify = new SpotifyRepository(dataSource);
  const statements = new StatementsService(
    new StatementsRepository(dataSource),
    spotify,
    new SpotifyService(spotify, config),
    config,
  );
  const service = new UploadService(new UploadRepository(dataSource), config, events, fx, orderImports, statements);
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 1048576;
  let sampledPeak = baselineRssMb;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss / 1048576)), 50);
  // How late the event loop ran while the file was imported: what every other request would have waited.
  const eventLoop = new EventLoopMonitor();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const { files } = await service.importFiles(
    paths.map((path) => ({ name: basename(path), size: statSync(path).size, path })),
  );
  const result = files[0]!;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const eventLoopDelay = eventLoop.read();
  eventLoop.stop();
  clearInterval(sampler);
  // The machine may be shared: CPU seconds of this process and of its PostgreSQL backends say what the
  // import cost regardless of how long it waited for a core.
  const backends: Array<{ pid: number }> = await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  const postgresCpuSeconds = backends.reduce((sum, { pid }) => sum + processCpuSeconds(pid), 0);
  await dataSource.destroy();
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
      postgresCpuSeconds,
      status: result.status,
      rows: result.rows,
      inserted: result.inserted,
      errors: result.errors.slice(0, 3),
      files: files.map((file) => ({ status: file.status, rows: file.rows, inserted: file.inserted })),
      baselineRssMb,
      sampledPeakRssMb: sampledPeak,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      eventLoop: eventLoopDelay,
    })}\n`,
  );
}

/** utime + stime of a process from /proc (Linux), 0 where unreadable. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
