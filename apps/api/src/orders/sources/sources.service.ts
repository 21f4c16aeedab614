import { Injectable, Logger } from '@nestjs/common';
import type { Platform, SourceKind, SourcesResponse } from '@mt/contracts';
import { DomainEvents } from '../../realtime/domain-events';
import { SourcesRepository } from './sources.repository';

/** Webhooks arrive by the thousand: their "last synced" is written at most this often. */
const WEBHOOK_TOUCH_INTERVAL_MS = 10_000;

@Injectable()
export class SourcesService {
  private readonly logger = new Logger(SourcesService.name);
  private readonly lastTouch = new Map<string, number>();

  constructor(
    private readonly sources: SourcesRepository,
    private readonly events: DomainEvents,
  ) {}

  list(): Promise<SourcesResponse> {
    return this.sources.list().then((sources) => ({ sources }));
  }

  register(name: string, platform: Platform, kind: SourceKind, enabled: boolean): Promise<void> {
    return this.sources.register(name, platform, kind, enabled);
  }

  cursor(name: string): Promise<string | null> {
    return this.sources.cursor(name);
  }

  async recorded(
    name: string,
    platform: Platform,
    kind: SourceKind,
    error: string | null,
    cursor?: string | null,
  ): Promise<void> {
    const at = new Date();
    await this.sources.record(name, platform, kind, at, error, cursor);
    this.events.publish('source.synced', { source: name, at: at.toISOString(), error });
  }

  /** Fire-and-forget for webhooks: never delays or fails the delivery it follows. */
  touchWebhook(platform: Platform): void {
    const name = `${platform}-webhooks`;
    const now = Date.now();
    if (now - (this.lastTouch.get(name) ?? 0) < WEBHOOK_TOUCH_INTERVAL_MS) return;
    this.lastTouch.set(name, now);
    this.sources.record(name, platform, 'webhook', new Date(now), null).catch((error: unknown) => {
      this.logger.warn(`could not record ${name}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
