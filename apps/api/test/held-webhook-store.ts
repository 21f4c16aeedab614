import { Client } from 'pg';
import { DomainEvents } from '../src/realtime/domain-events';
import { createTestApp, TestApp } from './test-app';

/** A test app whose webhook store a test can hold up, and the `order.created` events it announced. */
export interface HeldWebhookStore {
  t: TestApp;
  created: string[];
  /** Locks `webhook_deliveries` from a connection of its own: every webhook's statement waits on it. */
  hold(): Promise<void>;
  /** Lets the waiting statements go on. */
  release(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store held by a real lock, not a stub, so that what waits is the real batcher on the real pool,
 * for as long as the test needs and whatever the machine's speed.
 */
export async function appWithHeldWebhookStore(env: Record<string, string>): Promise<HeldWebhookStore> {
  const t = await createTestApp({ env });
  const created: string[] = [];
  t.app.get(DomainEvents).events$.subscribe((event) => {
    if (event.name === 'order.created') created.push(event.name);
  });
  const locker = new Client({ connectionString: t.db.url });
  await locker.connect();
  return {
    t,
    created,
    async hold() {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE webhook_deliveries IN ACCESS EXCLUSIVE MODE');
    },
    async release() {
      await locker.query('COMMIT');
    },
    async close() {
      await locker.end();
      await t.close();
    },
  };
}
