import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { Role } from '@mt/contracts';
import { createApp } from '../src/bootstrap';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  /** http://127.0.0.1:<port> of the listening app (for Socket.IO clients and raw HTTP). */
  baseUrl: string;
  /** Requests without credentials. */
  anonymous(): ReturnType<typeof request>;
  /** Requests authenticated as a user of that role. */
  as(role: Role): AuthenticatedRequests;
  close(): Promise<void>;
}

export type AuthenticatedRequests = Pick<ReturnType<typeof request.agent>, 'get' | 'post' | 'put' | 'patch' | 'delete'>;

/**
 * The real app, built as production builds it, listening on a free port, on a fresh database of its
 * own. `env` overrides the environment (e.g. `{ REFUND_ATTRIBUTION: 'order_date' }`).
 */
export async function createTestApp(options: { env?: Record<string, string>; db?: TestDatabase } = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    ALLOW_TEST_CLOCK: 'true',
    DEMO_DATA: 'false',
    DATABASE_URL: db.url,
    ...options.env,
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const server = app.getHttpServer();
  return {
    app,
    config,
    db,
    baseUrl,
    anonymous: () => request(server),
    as: (_role: Role) => request.agent(server),
    async close() {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}
