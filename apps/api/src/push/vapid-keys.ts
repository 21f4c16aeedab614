import { Logger } from '@nestjs/common';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import webpush from 'web-push';
import type { PushSettings, VapidKeys } from '../config/app-config';

/**
 * The VAPID key pair the subscriptions are bound to, or null when Web Push is off. From the
 * environment, or generated on the first start and kept beside the embedded database's data (a new
 * pair would silently end every device's subscription). Says which in one start-up line.
 */
export async function resolveVapidKeys(
  settings: PushSettings,
  logger: Pick<Logger, 'log'> = new Logger('Push'),
): Promise<VapidKeys | null> {
  const vapid = settings.vapid;
  if (vapid.source === 'env') {
    logger.log('Web Push: VAPID keys from VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY');
    return vapid.keys;
  }
  if (vapid.source === 'off') {
    logger.log(
      'Web Push off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys) to notify phones',
    );
    return null;
  }
  const kept = await readKeys(vapid.path);
  if (kept) {
    logger.log(`Web Push: VAPID keys kept in ${vapid.path}`);
    return kept;
  }
  const generated = webpush.generateVAPIDKeys();
  await mkdir(dirname(vapid.path), { recursive: true });
  try {
    // `wx`: never over a pair that another start wrote meanwhile; that one is then the pair.
    await writeFile(vapid.path, `${JSON.stringify(generated, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const existing = (error as NodeJS.ErrnoException).code === 'EEXIST' ? await readKeys(vapid.path) : null;
    if (!existing) throw error;
    logger.log(`Web Push: VAPID keys kept in ${vapid.path}`);
    return existing;
  }
  logger.log(`Web Push: VAPID keys generated and kept in ${vapid.path}`);
  return generated;
}

async function readKeys(path: string): Promise<VapidKeys | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<VapidKeys>;
  if (typeof parsed.publicKey !== 'string' || typeof parsed.privateKey !== 'string')
    throw new Error(`${path} must hold {"publicKey", "privateKey"} as web-push generates them`);
  return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}
