import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor sign-in and OpenID Connect (SPEC §7, issue 18): each user's TOTP secret (pending until the
 * first code confirms it), their one-time recovery codes (SHA-256 only, like sessions and tokens), the
 * sign-ins waiting for their second step, and the state, nonce and PKCE verifier of each OpenID
 * Connect sign-in under way (single use: the callback deletes the row it reads).
 */
export class TwoFactorAndSso1798118679278 implements MigrationInterface {
  name = 'TwoFactorAndSso1798118679278';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE two_factor (
        user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        enabled_at timestamptz,
        last_time_step bigint
      )`);
    await q.query(`
      CREATE TABLE recovery_codes (
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
    await q.query(`
      CREATE TABLE pending_logins (
        id_hash text PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        step text NOT NULL CHECK (step IN ('code', 'enrol')),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX pending_logins_expires ON pending_logins (expires_at)`);
    await q.query(`
      CREATE TABLE oidc_logins (
        state_hash text PRIMARY KEY,
        nonce text NOT NULL,
        code_verifier text NOT NULL,
        redirect_uri text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['oidc_logins', 'pending_logins', 'recovery_codes', 'two_factor']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
