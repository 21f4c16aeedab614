import { createBase32Plugin, createCryptoPlugin, generateSecret } from '@otplib/core';
import { generate, verify } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * TOTP (RFC 6238) through otplib's own building blocks. The `otplib` entry point loads its default
 * plugins (@noble/hashes, @scure/base), which are ES modules only, and Jest cannot load those from
 * CommonJS; the same algorithms come from node:crypto and a base32 codec here.
 */

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const base32 = createBase32Plugin({
  name: 'node-rfc4648',
  encode(data) {
    let bits = 0;
    let value = 0;
    let text = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        text += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) text += BASE32_ALPHABET[(value << (5 - bits)) & 31];
    return text;
  },
  decode(text) {
    const bytes: number[] = [];
    let bits = 0;
    let value = 0;
    for (const char of text.toUpperCase().replace(/=+$/, '')) {
      const index = BASE32_ALPHABET.indexOf(char);
      if (index < 0) throw new Error(`"${char}" is not a base32 character`);
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        bytes.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return Uint8Array.from(bytes);
  },
});

const crypto = createCryptoPlugin({
  name: 'node',
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  constantTimeEqual: (a, b) => {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  },
});

/** Authenticator apps' defaults: SHA-1, 6 digits, 30 s. */
const PERIOD_SECONDS = 30;
/** One step either side of now: phones whose clock is a little off still sign in. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;

/** 160 random bits, Base32 (what authenticator apps take). */
export function newTotpSecret(): string {
  return generateSecret({ crypto, base32, length: 20 });
}

export function totpUri(issuer: string, account: string, secret: string): string {
  return generateTOTP({ issuer, label: account, secret, period: PERIOD_SECONDS });
}

/** The code an authenticator shows at `at`. */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, crypto, base32, period: PERIOD_SECONDS, epoch: epochSeconds(at) });
}

/** The RFC 6238 time step of the code (now, or one step either side), or null when it matches none. */
export async function totpTimeStep(secret: string, code: string, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    crypto,
    base32,
    period: PERIOD_SECONDS,
    epoch: epochSeconds(now),
    epochTolerance: TOLERANCE_SECONDS,
  });
  return result.valid ? result.timeStep : null;
}

function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
