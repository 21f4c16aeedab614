import { Module } from '@nestjs/common';
import { AppConfig, VapidKeys } from '../config/app-config';
import { TitlesModule } from '../titles/titles.module';
import { PUSH_SENDER, PushNotifier } from './push-notifier';
import { PushSender } from './push-sender';
import { PushController } from './push.controller';
import { PushRepository } from './push.repository';
import { PushService, VAPID_KEYS } from './push.service';
import { resolveVapidKeys } from './vapid-keys';

/**
 * Web Push (SPEC §6): the devices each user turned notifications on for (`push_subscriptions`), and
 * the notifications of new orders and fired alerts sent to them.
 */
@Module({
  imports: [TitlesModule],
  controllers: [PushController],
  providers: [
    { provide: VAPID_KEYS, inject: [AppConfig], useFactory: (config: AppConfig) => resolveVapidKeys(config.push) },
    {
      provide: PUSH_SENDER,
      inject: [VAPID_KEYS, AppConfig],
      useFactory: (keys: VapidKeys | null, config: AppConfig) => keys && new PushSender(keys, config.push.subject),
    },
    PushRepository,
    PushService,
    PushNotifier,
  ],
})
export class PushModule {}
