import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { PgThrottlerStorage } from './pg-throttler-storage';

/** SPEC §7 / issue 6: 5 failed attempts per minute for one key, then 429 until the minute is over. */
export const LOGIN_FAILURE_LIMIT = 5;
const LOGIN_FAILURE_WINDOW_MS = 60_000;
const LOGIN_THROTTLER = 'login-failures';

/**
 * The failure limit of every sign-in secret: passwords count per account and address
 * (`passwordKey`), second factors per account whatever the address (`secondFactorKey`): whoever
 * reaches the second step already holds the password, and spreading guesses over addresses must
 * not buy them more of the million codes.
 */
@Injectable()
export class LoginLimits {
  constructor(private readonly throttle: PgThrottlerStorage) {}

  static passwordKey(clientAddress: string, email: string): string {
    return `${clientAddress}|${email.trim().toLowerCase()}`;
  }

  static secondFactorKey(userId: string): string {
    return `2fa|${userId}`;
  }

  /** 429 while the key has used up its failures. */
  async assertOpen(key: string): Promise<void> {
    const wait = await this.throttle.retryAfter(key, LOGIN_FAILURE_LIMIT, LOGIN_THROTTLER);
    if (wait > 0) throw new LoginLockedException(wait);
  }

  async failed(key: string): Promise<void> {
    await this.throttle.increment(
      key,
      LOGIN_FAILURE_WINDOW_MS,
      LOGIN_FAILURE_LIMIT,
      LOGIN_FAILURE_WINDOW_MS,
      LOGIN_THROTTLER,
    );
  }

  async succeeded(key: string): Promise<void> {
    await this.throttle.reset(key, LOGIN_THROTTLER);
  }
}

/** 429 for a key with too many recent failures; the controller sends `Retry-After`. */
export class LoginLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `too many failed logins; try again in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
