import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SecondStep } from '@mt/contracts';

export interface TwoFactorRow {
  secret: string;
  enabledAt: Date | null;
  lastTimeStep: number | null;
}

export interface PendingLoginRow {
  userId: string;
  step: SecondStep;
}

const REQUIRE_TWO_FACTOR_KEY = 'auth.require_two_factor';

/** TOTP secrets, recovery codes, sign-ins waiting for their second step, and the admin's policy. */
@Injectable()
export class TwoFactorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(userId: string): Promise<TwoFactorRow | null> {
    const rows: TwoFactorRow[] = await this.dataSource.query(
      `SELECT secret, enabled_at AS "enabledAt", last_time_step::float8 AS "lastTimeStep"
         FROM two_factor WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  /** A new pending secret, replacing an unconfirmed one; false when two-factor is already on. */
  async savePending(userId: string, secret: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO two_factor AS t (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = now(), last_time_step = NULL
         WHERE t.enabled_at IS NULL
       RETURNING 1`,
      [userId, secret],
    );
    return rows.length === 1;
  }

  /**
   * Turns the pending secret on with its first code's time step and replaces the recovery codes, in
   * one transaction; false when there was no pending secret (confirmed meanwhile, or none set up).
   */
  async enable(userId: string, timeStep: number, recoveryCodeHashes: readonly string[]): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE two_factor SET enabled_at = now(), last_time_step = $2 WHERE user_id = $1 AND enabled_at IS NULL RETURNING 1`,
        [userId, timeStep],
      )) as [unknown[], number];
      if (rows.length === 0) return false;
      await manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
      await manager.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [
        userId,
        recoveryCodeHashes,
      ]);
      return true;
    });
  }

  /**
   * Records a code's time step unless that step (or a later one) was used already: RFC 6238 §5.2, a
   * code is accepted once. The conditional update makes two requests racing with one code take it once.
   */
  async takeTimeStep(userId: string, timeStep: number): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE two_factor SET last_time_step = $2
        WHERE user_id = $1 AND enabled_at IS NOT NULL AND (last_time_step IS NULL OR last_time_step < $2)
        RETURNING 1`,
      [userId, timeStep],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  /** Marks the code used; false when it is not one of the user's unused codes. */
  async takeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1`,
      [userId, codeHash],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return rows[0]!.n;
  }

  async remove(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
      await manager.query(`DELETE FROM two_factor WHERE user_id = $1`, [userId]);
    });
  }

  async requireTwoFactor(): Promise<boolean> {
    const rows: Array<{ value: unknown }> = await this.dataSource.query(`SELECT value FROM settings WHERE key = $1`, [
      REQUIRE_TWO_FACTOR_KEY,
    ]);
    return rows[0]?.value === true;
  }

  async setRequireTwoFactor(required: boolean): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [REQUIRE_TWO_FACTOR_KEY, JSON.stringify(required)],
    );
  }

  async insertPendingLogin(idHash: string, userId: string, step: SecondStep, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO pending_logins (id_hash, user_id, step, expires_at) VALUES ($1, $2, $3, $4)`,
      [idHash, userId, step, expiresAt],
    );
  }

  async findPendingLogin(idHash: string): Promise<PendingLoginRow | null> {
    const rows: PendingLoginRow[] = await this.dataSource.query(
      `SELECT user_id::text AS "userId", step FROM pending_logins WHERE id_hash = $1 AND expires_at > now()`,
      [idHash],
    );
    return rows[0] ?? null;
  }

  /** False when another request finished this sign-in first (one password, one session). */
  async takePendingLogin(idHash: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(
      `DELETE FROM pending_logins WHERE id_hash = $1 AND expires_at > now() RETURNING 1`,
      [idHash],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  async deleteExpiredPendingLogins(): Promise<void> {
    await this.dataSource.query(`DELETE FROM pending_logins WHERE expires_at <= now()`);
  }
}
