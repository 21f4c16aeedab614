import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { resolveVapidKeys } from './vapid-keys';

describe('resolveVapidKeys', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mtink-vapid-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const logged = () => {
    const lines: string[] = [];
    return { lines, logger: { log: (line: string) => void lines.push(line) } };
  };

  it('generates a pair beside the embedded database once, readable by no one else, and keeps it', async () => {
    const settings = loadConfig({ DATA_DIR: dir }).push;
    const first = logged();
    const generated = await resolveVapidKeys(settings, first.logger);
    expect(Buffer.from(generated!.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(generated!.privateKey, 'base64url')).toHaveLength(32);
    const path = join(dir, 'vapid-keys.json');
    expect(first.lines).toEqual([`Web Push: VAPID keys generated and kept in ${path}`]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(generated);
    expect((await stat(path)).mode & 0o077).toBe(0);

    const second = logged();
    expect(await resolveVapidKeys(settings, second.logger)).toEqual(generated);
    expect(second.lines).toEqual([`Web Push: VAPID keys kept in ${path}`]);
  });

  it('takes the environment’s pair, and is off with an external database without one, saying so in one line', async () => {
    const env = loadConfig({ DATA_DIR: dir });
    const keys = await resolveVapidKeys(env.push, logged().logger);
    const fromEnv = logged();
    const config = loadConfig({ VAPID_PUBLIC_KEY: keys!.publicKey, VAPID_PRIVATE_KEY: keys!.privateKey });
    expect(await resolveVapidKeys(config.push, fromEnv.logger)).toEqual(keys);
    expect(fromEnv.lines).toEqual(['Web Push: VAPID keys from VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY']);

    const off = logged();
    expect(await resolveVapidKeys(loadConfig({ DATABASE_URL: 'postgres://db/mtink' }).push, off.logger)).toBeNull();
    expect(off.lines).toEqual([
      'Web Push off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys) to notify phones',
    ]);
  });
});
