import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signHmacSha256, verifyHmacSha256 } from './webhook-signature';

describe('verifyHmacSha256', () => {
  const body = readFileSync(join(__dirname, '..', 'fixtures', 'shopify-orders-create.json'));
  const secret = 'hq_test_shopify_client_secret_DO_NOT_USE';

  it('accepts the sample signature over the exact bytes', () => {
    expect(verifyHmacSha256(body, 'vOH6VoKZmk7uMU66jY2k61PWGR3dXAdwsw1GnpuX8AM=', [secret])).toBe(true);
  });

  it('accepts either secret during a rotation', () => {
    expect(verifyHmacSha256(body, signHmacSha256(body, 'old'), ['new', 'old'])).toBe(true);
  });

  it('rejects a changed byte, a wrong secret, garbage and a missing header', () => {
    const tampered = Buffer.from(body);
    tampered[10] = tampered[10]! ^ 1;
    expect(verifyHmacSha256(tampered, signHmacSha256(body, secret), [secret])).toBe(false);
    expect(verifyHmacSha256(body, signHmacSha256(body, 'other'), [secret])).toBe(false);
    expect(verifyHmacSha256(body, 'not-base64!', [secret])).toBe(false);
    expect(verifyHmacSha256(body, undefined, [secret])).toBe(false);
    expect(verifyHmacSha256(body, signHmacSha256(body, secret), [])).toBe(false);
  });
});
