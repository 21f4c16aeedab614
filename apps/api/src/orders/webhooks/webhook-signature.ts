import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `signature` is base64(HMAC-SHA256(secret, body)) for one of the secrets (several during a
 * secret rotation). Compared in constant time on the decoded bytes; the body is never parsed first.
 */
export function verifyHmacSha256(
  body: Buffer | undefined,
  signature: string | undefined,
  secrets: readonly string[],
): boolean {
  if (!body || !signature) return false;
  const given = Buffer.from(signature.trim(), 'base64');
  if (given.length !== 32) return false;
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // No early exit: every secret is checked, so timing does not tell which one matched.
    if (timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

export function signHmacSha256(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * The key of a Standard Webhooks secret (Etsy, FORMATS.md §3.2): the base64 after the `whsec_` prefix,
 * decoded. Null when the secret is not base64 of at least 16 bytes.
 */
export function standardWebhookKey(secret: string): Buffer | null {
  const encoded = secret.trim().replace(/^whsec_/, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : null;
}

/**
 * True when one of the space-separated `v1,<base64>` entries of `webhook-signature` is the base64
 * HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>` with `key` (Standard Webhooks, which
 * lists several signatures while a secret is rotated). Constant-time on the decoded bytes; the body is
 * never parsed first. The timestamp's age is the caller's to check.
 */
export function verifyStandardWebhook(
  body: Buffer | undefined,
  message: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  key: Buffer,
): boolean {
  if (!body || !message.id || !message.timestamp || !message.signature) return false;
  const expected = standardWebhookDigest(message.id, message.timestamp, body, key);
  let valid = false;
  for (const entry of message.signature.trim().split(/\s+/)) {
    const [version, encoded] = entry.split(',', 2);
    if (version !== 'v1' || !encoded) continue;
    const given = Buffer.from(encoded, 'base64');
    if (given.length === expected.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/** The `webhook-signature` value Standard Webhooks sends for one key: `v1,<base64>`. */
export function signStandardWebhook(id: string, timestamp: string, body: Buffer | string, key: Buffer): string {
  return `v1,${standardWebhookDigest(id, timestamp, Buffer.from(body), key).toString('base64')}`;
}

function standardWebhookDigest(id: string, timestamp: string, body: Buffer, key: Buffer): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}
