import { DataSource } from 'typeorm';
import { createApp } from '../apps/api/src/bootstrap';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { loadConfig } from '../apps/api/src/config/app-config';

/**
 * The API in a process of its own for export.bench.ts, so that the RSS measured is the server's alone:
 * `export.child.ts <database url>`. Talks over IPC: sends { port, token, idleRssMb } when listening;
 * answers `mark` (start a peak measurement) and `peak` (its result: RSS, V8 heap, heap left after a GC), and exits on `stop`.
 */
async function main(): Promise<void> {
  const url = process.argv[2]!;
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, DEMO_DATA: 'false', LOG_LEVEL: 'silent' });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const [user]: Array<{ id: string }> = await app.get(DataSource).query(
    `INSERT INTO users (email, name, role, password_hash) VALUES ('bench@local', 'bench', 'viewer', 'x')
     ON CONFLICT ((lower(email))) DO UPDATE SET role = excluded.role RETURNING id::text AS id`,
  );
  const token = (await app.get(AuthService).createToken('bench', user!.id, null))!.secret;
  const rssMb = () => process.memoryUsage().rss / 1048576;
  const heapMb = () => process.memoryUsage().heapUsed / 1048576;
  let peak = rssMb();
  let peakHeap = heapMb();
  setInterval(() => {
    peak = Math.max(peak, rssMb());
    peakHeap = Math.max(peakHeap, heapMb());
  }, 20).unref();
  process.on('message', (message: string) => {
    if (message === 'mark') {
      global.gc?.();
      peak = rssMb();
      peakHeap = heapMb();
      process.send!({ marked: peak, markedHeap: peakHeap });
    } else if (message === 'peak') {
      const report = { peak: Math.max(peak, rssMb()), peakHeap, maxRssMb: process.resourceUsage().maxRSS / 1024 };
      global.gc?.();
      process.send!({ ...report, heapAfterGc: heapMb() });
    } else if (message === 'stop') {
      void app.close().then(() => process.exit(0));
    }
  });
  process.send!({ port: typeof address === 'object' && address ? address.port : 0, token, idleRssMb: rssMb() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
