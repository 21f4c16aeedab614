import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  signHmacSha256,
  signStandardWebhook,
  standardWebhookKey,
  verifyHmacSha256,
  verifyStandardWebhook,
} from './webhook-signature';

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

describe('verifyStandardWebhook (Etsy)', () => {
  // The test vector of the Standard Webhooks specification (standard-webhooks/standard-webhooks).
  const key = standardWebhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')!;
  const body = Buffer.from('{"test": 2432232314}');
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = '1614265330';
  const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

  it("accepts the specification's signature over id, timestamp and the exact bytes", () => {
    expect(signStandardWebhook(id, timestamp, body, key)).toBe(signature);
    expect(verifyStandardWebhook(body, { id, timestamp, signature }, key)).toBe(true);
  });

  it('accepts a list in which one signature matches (a rotation), whatever else it holds', () => {
    const list = `v1,${Buffer.alloc(32).toString('base64')} v2,xyz ${signature}`;
    expect(verifyStandardWebhook(body, { id, timestamp, signature: list }, key)).toBe(true);
  });

  it('rejects another id, timestamp, body or key, a bare base64 without v1, and missing headers', () => {
    expect(verifyStandardWebhook(body, { id: 'msg_other', timestamp, signature }, key)).toBe(false);
    expect(verifyStandardWebhook(body, { id, timestamp: '1614265331', signature }, key)).toBe(false);
    expect(verifyStandardWebhook(Buffer.from('{"test": 2432232315}'), { id, timestamp, signature }, key)).toBe(false);
    expect(
      verifyStandardWebhook(body, { id, timestamp, signature }, standardWebhookKey('whsec_' + 'A'.repeat(32))!),
    ).toBe(false);
    expect(verifyStandardWebhook(body, { id, timestamp, signature: signature.slice(3) }, key)).toBe(false);
    expect(verifyStandardWebhook(body, { id, timestamp: undefined, signature }, key)).toBe(false);
    expect(verifyStandardWebhook(undefined, { id, timestamp, signature }, key)).toBe(false);
  });

  it('reads a secret with or without whsec_, and refuses one that is not base64 of 16 bytes or more', () => {
    expect(standardWebhookKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(key);
    expect(standardWebhookKey('whsec_not base64!')).toBeNull();
    expect(standardWebhookKey('whsec_c2hvcnQ=')).toBeNull();
  });
});
