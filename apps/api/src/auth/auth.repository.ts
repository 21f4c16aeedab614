import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Role } from '@mt/contracts';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: Date;
}

export interface TokenRow {
  id: string;
  name: string;
  userId: string;
  userEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const USER_COLUMNS = `u.id::text AS id, u.email, u.name, u.role, u.password_hash AS "passwordHash", u.created_at AS "createdAt"`;
const TOKEN_COLUMNS = `t.id::text AS id, t.name, t.user_id::text AS "userId", u.email AS "userEmail", t.created_at AS "createdAt",
  t.last_used_at AS "lastUsedAt", t.revoked_at AS "revokedAt"`;

/** Users, sessions and API tokens: every SQL statement of the auth module. */
@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findUserByEmail(email: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  async findUser(id: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async listUsers(): Promise<UserRow[]> {
    return this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u ORDER BY lower(u.email)`);
  }

  async countUsers(): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(`SELECT count(*)::int AS n FROM users`);
    return rows[0]!.n;
  }

  /** Null when the e-mail is taken (case-insensitively). */
  async insertUser(user: { email: string; name: string; role: Role; passwordHash: string }): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(
      `WITH u AS (
         INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING *)
       SELECT ${USER_COLUMNS} FROM u`,
      [user.email, user.name, user.role, user.passwordHash],
    );
    return rows[0] ?? null;
  }

  async setPasswordAndRole(id: string, passwordHash: string, role: Role): Promise<void> {
    await this.dataSource.query(`UPDATE users SET password_hash = $2, role = $3 WHERE id = $1`, [
      id,
      passwordHash,
      role,
    ]);
  }

  /**
   * Changes a role unless that would leave no admin; the row lock on every admin serialises two
   * admins demoting each other at the same moment. 'missing' | 'last-admin' | the updated user.
   */
  async changeRole(id: string, role: Role): Promise<UserRow | 'missing' | 'last-admin'> {
    return this.dataSource.transaction(async (manager) => {
      const admins: Array<{ id: string }> = await manager.query(
        `SELECT id::text AS id FROM users WHERE role = 'admin' FOR UPDATE`,
      );
      const rows: UserRow[] = await manager.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 FOR UPDATE`, [
        id,
      ]);
      const user = rows[0];
      if (!user) return 'missing';
      if (user.role === 'admin' && role !== 'admin' && admins.length <= 1) return 'last-admin';
      await manager.query(`UPDATE users SET role = $2 WHERE id = $1`, [id, role]);
      return { ...user, role };
    });
  }

  /** Sessions and tokens of the user go with it (ON DELETE CASCADE). */
  async deleteUser(id: string): Promise<'deleted' | 'missing' | 'last-admin'> {
    return this.dataSource.transaction(async (manager) => {
      const admins: Array<{ id: string }> = await manager.query(
        `SELECT id::text AS id FROM users WHERE role = 'admin' FOR UPDATE`,
      );
      const rows: Array<{ role: Role }> = await manager.query(`SELECT role FROM users WHERE id = $1 FOR UPDATE`, [id]);
      if (!rows[0]) return 'missing';
      if (rows[0].role === 'admin' && admins.length <= 1) return 'last-admin';
      await manager.query(`DELETE FROM users WHERE id = $1`, [id]);
      return 'deleted';
    });
  }

  async insertSession(idHash: string, userId: string, expiresAt: Date, userAgent: string | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sessions (id_hash, user_id, expires_at, user_agent) VALUES ($1, $2, $3, $4)`,
      [idHash, userId, expiresAt, userAgent?.slice(0, 300) ?? null],
    );
  }

  async userBySession(idHash: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > now()`,
      [idHash],
    );
    return rows[0] ?? null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
  }

  async deleteExpiredSessions(): Promise<number> {
    const [, count] = (await this.dataSource.query(`DELETE FROM sessions WHERE expires_at <= now()`)) as [
      unknown,
      number,
    ];
    return count;
  }

  async insertToken(token: {
    name: string;
    tokenHash: string;
    userId: string;
    createdBy: string | null;
  }): Promise<TokenRow> {
    const rows: TokenRow[] = await this.dataSource.query(
      `WITH t AS (INSERT INTO api_tokens (name, token_hash, user_id, created_by) VALUES ($1, $2, $3, $4) RETURNING *)
       SELECT ${TOKEN_COLUMNS} FROM t JOIN users u ON u.id = t.user_id`,
      [token.name, token.tokenHash, token.userId, token.createdBy],
    );
    return rows[0]!;
  }

  async listTokens(): Promise<TokenRow[]> {
    return this.dataSource.query(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id`,
    );
  }

  /** Revoked tokens stay listed (who had access until when); the row is never reused. */
  /** The revoked token's hash, or null when there was no live token with that id. */
  async revokeToken(id: string): Promise<string | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING token_hash`,
      [id],
    )) as [Array<{ token_hash: string }>, number];
    return rows[0]?.token_hash ?? null;
  }

  async tokenExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM api_tokens WHERE id = $1`, [id]);
    return rows.length === 1;
  }

  /**
   * The user behind a live token. `last_used_at` is refreshed at most once a minute so that a busy
   * script does not turn every read into a write.
   */
  async userByToken(tokenHash: string): Promise<UserRow | null> {
    const rows: Array<UserRow & { tokenId: string; stale: boolean }> = await this.dataSource.query(
      `SELECT ${USER_COLUMNS}, t.id::text AS "tokenId",
              (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.stale)
      await this.dataSource.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.tokenId]);
    const { tokenId: _tokenId, stale: _stale, ...user } = row;
    return user;
  }
}
