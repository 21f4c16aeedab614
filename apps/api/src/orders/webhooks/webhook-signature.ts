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
