import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '@mt/contracts';
import bcrypt from 'bcryptjs';
import { AuthService } from '../src/auth/auth.service';
import { createApp } from '../src/bootstrap';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { AdvisoryLocks } from '../src/database/advisory-lock';
import { ScheduledJobs } from '../src/database/scheduled-jobs';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  /** http://127.0.0.1:<port> of the listening app (for Socket.IO clients and raw HTTP). */
  baseUrl: string;
  /** Requests without credentials. */
  anonymous(): ReturnType<typeof request>;
  /**
   * Requests authenticated as a user of that role (`admin@test.local` / `viewer@test.local`), with
   * an API token of theirs in `Authorization: Bearer`, so they pass the global guard for real.
   */
  as(role: Role): AuthenticatedRequests;
  /** The users behind `as()`, e.g. to log in with a password: `{ email, password, id, token }`. */
  users: Record<Role, TestUser>;
  close(): Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

export type AuthenticatedRequests = Pick<ReturnType<typeof request.agent>, 'get' | 'post' | 'put' | 'patch' | 'delete'>;

/**
 * The real app, built as production builds it, listening on a free port, on a fresh database of its
 * own. `env` overrides the environment (e.g. `{ REFUND_ATTRIBUTION: 'order_date' }`); `dashboardDir` is served as the
 * built dashboard.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; db?: TestDatabase; dashboardDir?: string } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    ALLOW_TEST_CLOCK: 'true',
    DEMO_DATA: 'false',
    // Tests drive every job themselves (with a pinned clock); a timer firing mid-test would race them.
    SCHEDULED_JOBS: 'off',
    // Never the internet: a spec that tests the ECB fetch points this at its own loopback server.
    FX_RATES_URL: 'off',
    // Tests never depend on machine speed: at load 10 a webhook may take over a second. A spec of the
    // deadline itself sets the production value and holds the database up for as long as it needs.
    WEBHOOK_STORE_DEADLINE_MS: '60000',
    DATABASE_URL: db.url,
    ...options.env,
  });
  const app = await createApp(config, { logger: false, dashboardDir: options.dashboardDir });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const server = app.getHttpServer();
  const users = {
    admin: await ensureTestUser(app, 'admin'),
    viewer: await ensureTestUser(app, 'viewer'),
  };
  return {
    app,
    config,
    db,
    baseUrl,
    anonymous: () => request(server),
    users,
    as: (role: Role) => request.agent(server).set('Authorization', `Bearer ${users[role].token}`),
    async close() {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}

/**
 * The app's scheduled-job runner as it is with SCHEDULED_JOBS=on (test apps have it off), so that a
 * test can hand one job's tick to it: `new RecentEventsJob(repository, scheduledJobsOn(t)).prune()`.
 */
export function scheduledJobsOn(t: TestApp): ScheduledJobs {
  return new ScheduledJobs(t.app.get(AdvisoryLocks), new AppConfig({ ...t.config, scheduledJobs: true }));
}

export const TEST_PASSWORD = 'test-password-1';
// Work factor 4 (the minimum): tests create these users for every app; production hashes use 11.
const TEST_PASSWORD_HASH = bcrypt.hashSync(TEST_PASSWORD, 4);

/**
 * Inserted directly (no admin to invite them yet), through the app's own connection (a caller may
 * hand in a database without a DataSource); two apps on one database share the users. `email`
 * defaults to the user behind `as(role)`; another one makes a further user of that role.
 */
export async function ensureTestUser(
  app: NestExpressApplication,
  role: Role,
  email = `${role}@test.local`,
): Promise<TestUser> {
  const rows: Array<{ id: string }> = await app.get(DataSource).query(
    `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((lower(email))) DO UPDATE SET role = excluded.role
     RETURNING id::text AS id`,
    [email, `Test ${role}`, role, TEST_PASSWORD_HASH],
  );
  const id = rows[0]!.id;
  const created = await app.get(AuthService).createToken(`test ${role}`, id, null);
  return { id, email, password: TEST_PASSWORD, token: created!.secret };
}
