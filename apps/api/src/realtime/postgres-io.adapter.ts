import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Client, Pool } from 'pg';
import type { Namespace, Server, ServerOptions } from 'socket.io';
import { ClusterAdapter, MessageType } from 'socket.io-adapter';
import { REALTIME_PATH } from '@mt/contracts';
import { AppConfig } from '../config/app-config';

/**
 * Room for the envelope the adapter wraps a server-side event in, below the 8,000 bytes of a NOTIFY
 * payload: above them the adapter stores the message in a table and the other instances read it back
 * asynchronously, and such a message could be overtaken by the next one.
 */
export const RELAY_MESSAGE_BYTES = 7000;

/**
 * Sends `items` to the other instances as the server-side event `name`, in messages that each fit in
 * one NOTIFY (an item larger than that goes alone), one after the other: resolved once the last was
 * sent, so that a caller that waits gathers what comes meanwhile into its next call instead of into
 * the adapter's queue. Each message costs one NOTIFY, whatever the number of items in it.
 */
export async function relayToOtherInstances(namespace: Namespace, name: string, items: unknown[]): Promise<number> {
  const chunks = chunksUnder(items, RELAY_MESSAGE_BYTES);
  const adapter = namespace.adapter;
  for (const chunk of chunks) {
    if (adapter instanceof ClusterAdapter) {
      // serverSideEmit() does not say when its NOTIFY went; this (what it calls) does.
      const publish = (adapter as unknown as { publishAndReturnOffset(message: unknown): Promise<string> })
        .publishAndReturnOffset;
      await publish.call(adapter, { type: MessageType.SERVER_SIDE_EMIT, data: { packet: [name, chunk] } });
    } else {
      namespace.serverSideEmit(name, chunk);
    }
  }
  return chunks.length;
}

/** `items` in order, cut into runs whose JSON stays under `bytes` (a larger item makes a run of its own). */
export function chunksUnder(items: unknown[], bytes: number): unknown[][] {
  const chunks: unknown[][] = [];
  let chunk: unknown[] = [];
  let size = 0;
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (chunk.length && size + itemBytes > bytes) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(item);
    size += itemBytes;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * Socket.IO with @socket.io/postgres-adapter: a broadcast on one API instance is sent to the other
 * instances through LISTEN/NOTIFY on the shared database, so every dashboard gets every event
 * whichever instance it is connected to. Behind a load balancer, clients should connect with
 * `transports: ['websocket']` (HTTP long-polling would need sticky sessions).
 */
export class PostgresIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');
  private pool: Pool | null = null;
  private readonly clients = new Set<Client>();

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      path: REALTIME_PATH,
      serveClient: false,
      cors: { origin: this.config.corsOrigins.length ? [...this.config.corsOrigins] : false, credentials: true },
      // Events are small JSON; a client has no reason to send more.
      maxHttpBufferSize: 64 * 1024,
    } as ServerOptions);
    if (!this.config.databaseUrl)
      throw new Error('the database URL must be resolved before the Socket.IO server starts');
    // Own pool, so that the app's connections are not taken.
    this.pool ??= this.createPool(this.config.databaseUrl);
    server.adapter(
      createAdapter(this.pool, { errorHandler: (error) => this.logger.warn(`Socket.IO adapter: ${error.message}`) }),
    );
    return server;
  }

  private createPool(connectionString: string): Pool {
    const logger = this.logger;
    const clients = this.clients;
    // The adapter keeps its LISTEN connection checked out and listens only for its "end"; without an
    // "error" listener, a database restart would throw from that client and take the process down.
    // The adapter reconnects by itself after "end".
    class ResilientClient extends Client {
      constructor(config?: ConstructorParameters<typeof Client>[0]) {
        super(config);
        clients.add(this);
        this.once('end', () => clients.delete(this));
        this.on('error', (error) => logger.warn(`Socket.IO adapter connection lost: ${error.message}`));
      }
    }
    // Two connections: the LISTEN one, and one that sends every NOTIFY in turn. The adapter delivers a
    // broadcast locally only after its NOTIFY returned, so with more connections two events could
    // overtake each other.
    const pool = new Pool({ connectionString, max: 2, Client: ResilientClient });
    pool.on('error', (error) => logger.warn(`Socket.IO adapter connection: ${error.message}`));
    return pool;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    const pool = this.pool;
    this.pool = null;
    if (!pool) return;
    // After a database restart the adapter's reconnected LISTEN client can stay checked out past
    // close(), and pool.end() waits for it forever: end such clients ourselves and let the pool go.
    const ended = pool.end().then(() => true);
    const settled = await Promise.race([
      ended,
      new Promise<false>((resolve) => setTimeout(resolve, 1000, false).unref()),
    ]);
    if (!settled) await Promise.all([...this.clients].map((client) => client.end().catch(() => undefined)));
  }
}
