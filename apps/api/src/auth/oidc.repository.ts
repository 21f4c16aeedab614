import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface OidcLoginRow {
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** The OpenID Connect sign-ins under way: what the callback must check, kept server-side by the state's SHA-256. */
@Injectable()
export class OidcRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(stateHash: string, login: OidcLoginRow, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO oidc_logins (state_hash, nonce, code_verifier, redirect_uri, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [stateHash, login.nonce, login.codeVerifier, login.redirectUri, expiresAt],
    );
  }

  /** Deletes the row as it reads it, so that a state works once: a replayed callback finds nothing. */
  async take(stateHash: string): Promise<OidcLoginRow | null> {
    const [rows] = (await this.dataSource.query(
      `DELETE FROM oidc_logins WHERE state_hash = $1
       RETURNING nonce, code_verifier AS "codeVerifier", redirect_uri AS "redirectUri", expires_at > now() AS live`,
      [stateHash],
    )) as [Array<OidcLoginRow & { live: boolean }>, number];
    const row = rows[0];
    if (!row?.live) return null;
    return { nonce: row.nonce, codeVerifier: row.codeVerifier, redirectUri: row.redirectUri };
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM oidc_logins WHERE expires_at <= now()`);
  }
}
