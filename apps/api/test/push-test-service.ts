import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';

/**
 * A push service on loopback, as browsers' push services behave towards a sender (RFC 8030, 8291,
 * 8292): it takes a message for one of its devices only with a valid VAPID token of the expected key
 * for its own origin, decrypts the aes128gcm body with the device's private key and auth secret, and
 * keeps what it received. Written from the RFCs with node:crypto, independently of web-push, so that a
 * mistake in how the app uses web-push cannot hide in the test too.
 */
export interface TestDevice {
  id: string;
  /** What `PushSubscription.toJSON()` gives the dashboard. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The status the service answers a message for this device with (201; 404 or 410: unknown). */
  answer: number;
}

export interface ReceivedPush {
  device: string;
  /** The decrypted payload, exactly. */
  text: string;
  headers: { ttl: string | undefined; topic: string | undefined; urgency: string | undefined };
}

export interface PushTestService {
  origin: string;
  received: ReceivedPush[];
  /** Messages refused (bad token, bad encryption) and why: a test expects none. */
  refused: string[];
  device(): TestDevice;
  close(): Promise<void>;
}

interface DeviceKeys {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
  device: TestDevice;
}

/** `vapidPublicKey`: the app's VAPID key (base64url), the only one whose tokens are accepted. */
export async function startPushService(vapidPublicKey: string): Promise<PushTestService> {
  const devices = new Map<string, DeviceKeys>();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  let origin = '';
  let next = 0;
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const id = /^\/push\/([a-z0-9]+)$/.exec(req.url ?? '')?.[1];
      const keys = id ? devices.get(id) : undefined;
      if (req.method !== 'POST' || !keys) return void res.writeHead(404).end();
      try {
        checkVapid(req.headers.authorization, vapidPublicKey, origin);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
        if (!req.headers.ttl) throw new Error('no TTL header');
        const text = decrypt(body, keys).toString('utf8');
        if (keys.device.answer >= 200 && keys.device.answer < 300)
          received.push({
            device: keys.device.id,
            text,
            headers: {
              ttl: req.headers.ttl as string | undefined,
              topic: req.headers.topic as string | undefined,
              urgency: req.headers.urgency as string | undefined,
            },
          });
        res.writeHead(keys.device.answer).end();
      } catch (error) {
        refused.push(error instanceof Error ? error.message : String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    received,
    refused,
    device() {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = `d${++next}`;
      const device: TestDevice = {
        id,
        answer: 201,
        subscription: {
          endpoint: `${origin}/push/${id}`,
          keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
        },
      };
      devices.set(id, { ecdh, publicKey, auth, device });
      return device;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** RFC 8292: `vapid t=<JWT>, k=<key>`, the JWT ES256-signed by that key, for this origin, not expired. */
function checkVapid(header: string | undefined, expectedKey: string, origin: string): void {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const [, token, key] = match as unknown as [string, string, string];
  if (key !== expectedKey) throw new Error('the VAPID key is not the app’s');
  const [head, claims, signature] = token.split('.') as [string, string, string];
  const header64 = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
  if (header64.alg !== 'ES256') throw new Error(`the JWT is signed with ${header64.alg}, not ES256`);
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('the JWT signature does not verify against the VAPID key');
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (body.aud !== origin) throw new Error(`the JWT audience is ${body.aud}, not ${origin}`);
  const now = Date.now() / 1000;
  if (typeof body.exp !== 'number' || body.exp <= now || body.exp > now + 24 * 3600)
    throw new Error(`the JWT expiry ${body.exp} is not within the next 24 hours`);
  if (!/^(mailto:|https:)/.test(body.sub ?? '')) throw new Error(`the JWT subject ${body.sub} is no contact`);
}

/** RFC 8291 §3.4 and RFC 8188: one aes128gcm record, keyed by ECDH with the sender's key in the header. */
function decrypt(body: Buffer, keys: DeviceKeys): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error(`the key id is ${idLength} bytes, not a P-256 public key`);
  if (record.length > recordSize) throw new Error('more than one record');
  const secret = keys.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the record does not end with the last-record delimiter');
  return padded.subarray(0, end);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
