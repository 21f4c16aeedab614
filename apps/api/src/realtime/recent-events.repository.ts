import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EventMeta, MissedEvent } from '@mt/contracts';
import type { DomainEvent } from './domain-events';

/** How far back a reconnecting client can catch up; older gaps are refetched in full. */
export const RECENT_EVENTS_RETENTION_HOURS = 24;
export const EVENTS_SINCE_LIMIT = 1000;
/** Upper bound of the buffer whatever the rate, so that a burst cannot grow it without limit. */
const MAX_BUFFERED_EVENTS = 20_000;
/** `occurred_at` as ISO 8601 in UTC with microseconds: passed back as `since`, it matches exactly. */
const AT_TEXT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The recent-events buffer in PostgreSQL, shared by every API instance: a client that reconnects to
 * another instance still finds what it missed.
 */
@Injectable()
export class RecentEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(event: DomainEvent): Promise<{ id: string; at: string }> {
    return (await this.appendMany([event]))[0]!;
  }

  /** Several events in one statement, ids in their order; what a burst costs is one round trip. */
  async appendMany(events: DomainEvent[]): Promise<Array<{ id: string; at: string }>> {
    const rows: Array<{ id: string; at: string }> = await this.dataSource.query(
      `INSERT INTO realtime_events (name, payload)
       SELECT name, payload FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS e (name, payload, ord) ORDER BY ord
       RETURNING id::text AS id, ${AT_TEXT} AS at`,
      [events.map((event) => event.name), events.map((event) => JSON.stringify(event.payload))],
    );
    // RETURNING follows the insert order, and ids are drawn in it: sorting by id restores it for sure.
    return rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  /**
   * Events after `since` (a `meta.at` as sent, microseconds included, so the event it came with is not
   * repeated), oldest first; `complete` is false when the buffer cannot cover the gap.
   */
  async since(since: string): Promise<{ events: MissedEvent[]; complete: boolean }> {
    const rows: Array<{ covered: boolean; events: MissedEvent[] }> = await this.dataSource.query(
      `SELECT $1::timestamptz >= now() - $3 * interval '1 hour' AS covered,
              coalesce((SELECT json_agg(e ORDER BY e.seq) FROM (
                SELECT id AS seq, id::text AS id, name, payload, ${AT_TEXT} AS at
                  FROM realtime_events WHERE occurred_at > $1::timestamptz ORDER BY id LIMIT $2) e), '[]') AS events`,
      [since, EVENTS_SINCE_LIMIT + 1, RECENT_EVENTS_RETENTION_HOURS],
    );
    const { covered, events } = rows[0]!;
    return {
      events: events
        .slice(0, EVENTS_SINCE_LIMIT)
        .map(({ id, name, payload, at }) => ({ id, name, payload, at }) as MissedEvent),
      complete: covered && events.length <= EVENTS_SINCE_LIMIT,
    };
  }

  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM realtime_events WHERE occurred_at < now() - $1 * interval '1 hour'`, [
      RECENT_EVENTS_RETENTION_HOURS,
    ]);
    await this.dataSource.query(`DELETE FROM realtime_events WHERE id <= (SELECT max(id) - $1 FROM realtime_events)`, [
      MAX_BUFFERED_EVENTS,
    ]);
  }
}

export function toMeta(stored: { id: string; at: string } | null): EventMeta {
  return stored ?? { id: null, at: new Date().toISOString() };
}
