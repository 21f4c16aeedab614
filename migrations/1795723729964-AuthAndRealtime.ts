import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sessions and API tokens (both stored as SHA-256 of the secret, so a database dump
 * signs nobody in), the login failure counters shared by every instance, the recent-events buffer
 * that reconnecting Socket.IO clients read from, the Socket.IO adapter's attachment table, and the
 * last start of every scheduled job (so that a tick runs on one instance only).
 */
export class AuthAndRealtime1795723729964 implements MigrationInterface {
  name = 'AuthAndRealtime1795723729964';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        user_agent text
      )`);
    await q.query(`CREATE INDEX sessions_user ON sessions (user_id)`);
    await q.query(`CREATE INDEX sessions_expires ON sessions (expires_at)`);
    await q.query(`
      CREATE TABLE api_tokens (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_by bigint REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
    await q.query(`
      CREATE TABLE realtime_events (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX realtime_events_occurred ON realtime_events (occurred_at)`);
    // Table and columns as @socket.io/postgres-adapter expects them (payloads over 8000 bytes).
    await q.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
    await q.query(`
      CREATE TABLE job_runs (
        name text PRIMARY KEY,
        last_started_at timestamptz NOT NULL,
        last_instance text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'job_runs',
      'socket_io_attachments',
      'realtime_events',
      'rate_limits',
      'api_tokens',
      'sessions',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
