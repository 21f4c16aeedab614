import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { Subscription } from 'rxjs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { Principal } from './principal';
import { Revocation, Revocations } from './revocations';

/** What makes cached principals wrong: a credential gone, or a user removed or given another role. */
export type PrincipalChange = Revocation;

/** The PostgreSQL channel on which every instance hears of a PrincipalChange. */
export const PRINCIPALS_CHANNEL = 'mtink_principals';
/** Bounds the memory: far more than the credentials in use at once. */
const MAX_ENTRIES = 10_000;
const RELISTEN_MS = 1000;

interface Entry {
  principal: Principal;
  until: number;
}

/**
 * Who a session or token is, kept in process for AUTH_CACHE_MS (5 s), so that a request does not
 * read the database just to know its caller. A revocation (logout, revoked token, removed user) or a
 * role change forgets the entries at once on this instance and, through PostgreSQL NOTIFY on
 * PRINCIPALS_CHANNEL, on every other. While this instance is not listening (its LISTEN connection
 * lost, not yet back), it cannot hear of changes made elsewhere, so it reads the database every time.
 *
 * A lookup that started before a change was heard is not cached (the generation moved on), so an
 * answer read just before a revocation committed cannot outlive it.
 */
@Injectable()
export class PrincipalCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PrincipalCache.name);
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private listener: Client | null = null;
  private listening = false;
  private stopped = false;
  private readonly subscriptions: Subscription[];
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    revocations: Revocations,
  ) {
    this.subscriptions = [
      revocations.revoked$.subscribe((revocation) => void this.changed(revocation)),
      revocations.roleChanged$.subscribe((change) => void this.changed(change)),
    ];
  }

  async onModuleInit(): Promise<void> {
    if (this.config.authCacheMs > 0) await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
    if (this.retry) clearTimeout(this.retry);
    this.listening = false;
    await this.listener?.end().catch(() => undefined);
  }

  /** `key`: the credential's kind and hash. The cached principal, or `load()`'s answer (cached when found). */
  async get(key: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    if (!this.listening) return load();
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.principal;
    const generation = this.generation;
    const principal = await load();
    if (principal && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { principal, until: Date.now() + this.config.authCacheMs });
    } else if (!principal) {
      this.entries.delete(key);
    }
    return principal;
  }

  /** After the change is committed: forgotten here at once, and on every other instance as soon as it hears. */
  async changed(change: PrincipalChange): Promise<void> {
    this.forget(change);
    try {
      await this.dataSource.query(`SELECT pg_notify($1, $2)`, [PRINCIPALS_CHANNEL, JSON.stringify(change)]);
    } catch (error) {
      this.logger.error(`could not tell the other instances of a sign-in change: ${describe(error)}`);
    }
  }

  private forget(change: PrincipalChange): void {
    this.generation++;
    for (const [key, entry] of this.entries) {
      if ('userId' in change ? entry.principal.id === change.userId : key.endsWith(`:${change.credentialHash}`))
        this.entries.delete(key);
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl!, application_name: 'mtink-listen' });
    this.listener = client;
    client.on('notification', (message) => {
      if (message.channel !== PRINCIPALS_CHANNEL || !message.payload) return;
      try {
        this.forget(JSON.parse(message.payload) as PrincipalChange);
      } catch {
        this.forgetAll();
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${PRINCIPALS_CHANNEL}`);
      this.listening = true;
    } catch (error) {
      this.lost(client, error);
    }
  }

  /** Deaf to other instances: nothing cached may be trusted, and nothing is cached until listening again. */
  private lost(client: Client, error: unknown): void {
    if (this.listener !== client) return;
    this.listener = null;
    this.listening = false;
    this.forgetAll();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    if (error)
      this.logger.warn(`not listening for sign-in changes, reading every request's caller: ${describe(error)}`);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen();
    }, RELISTEN_MS).unref();
  }

  private forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
