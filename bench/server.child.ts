import { DataSource } from 'typeorm';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { createApp } from '../apps/api/src/bootstrap';
import { EventLoopMonitor } from '../apps/api/src/common/event-loop';
import { loadConfig } from '../apps/api/src/config/app-config';

/** What the parent sends: `mark` starts a measurement window, `report` ends it, `stop` closes the app. */
export type ServerCommand = 'mark' | 'report' | 'stop';

export interface ServerReady {
  port: number;
  /** API tokens of `users` admins (bench1@local, …), for requests and Socket.IO handshakes. */
  tokens: string[];
}

export interface ServerReport {
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
  peakRssMb: number;
  /** Process CPU time (user + system) over the window, in milliseconds: on a busy machine a count, not a wait. */
  cpuMs: number;
}

/**
 * The real API in a process of its own, so that what it measures (event-loop delay, RSS) is the
 * server's alone, not the load generator's: `server.child.ts <database url> <users> [<env JSON>]`.
 */
async function main(): Promise<void> {
  const [url, users, env] = process.argv.slice(2) as [string, string, string | undefined];
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    ...(env ? (JSON.parse(env) as Record<string, string>) : {}),
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const tokens: string[] = [];
  for (let i = 1; i <= Number(users); i++) {
    const [user]: Array<{ id: string }> = await app.get(DataSource).query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'bench', 'admin', 'x')
       ON CONFLICT ((lower(email))) DO UPDATE SET role = excluded.role RETURNING id::text AS id`,
      [`bench${i}@local`],
    );
    tokens.push((await app.get(AuthService).createToken('bench', user!.id, null))!.secret);
  }
  const monitor = new EventLoopMonitor();
  let peakRss = 0;
  let cpuAtMark = process.cpuUsage();
  setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss / 1048576)), 50).unref();
  process.on('message', (command: ServerCommand) => {
    if (command === 'mark') {
      monitor.read({ reset: true });
      peakRss = process.memoryUsage().rss / 1048576;
      cpuAtMark = process.cpuUsage();
      process.send!('marked');
    } else if (command === 'report') {
      const cpu = process.cpuUsage(cpuAtMark);
      process.send!({
        eventLoop: monitor.read({ reset: true }),
        peakRssMb: peakRss,
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      } satisfies ServerReport);
    } else if (command === 'stop') {
      void app.close().then(() => process.exit(0));
    }
  });
  process.send!({ port: typeof address === 'object' && address ? address.port : 0, tokens } satisfies ServerReady);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
