import { AlertEventEntity } from '../alerts/alert-event.entity';
import { AlertRuleEntity } from '../alerts/alert-rule.entity';
import { User } from '../auth/user.entity';
import { FxRate } from '../fx/fx-rate.entity';
import { OrderLine } from '../orders/order-line.entity';
import { Order } from '../orders/order.entity';
import { Refund } from '../orders/refund.entity';
import { Setting } from '../settings/setting.entity';
import { SpotifyQuarterActual } from '../spotify/spotify-quarter-actual.entity';
import { SpotifyRevenueLine } from '../spotify/spotify-revenue-line.entity';
import { SpotifyMonthlyStats, SpotifyWeeklyStats } from '../spotify/spotify-stats.entity';
import { UploadLog } from '../upload/upload-log.entity';

/** Every TypeORM entity; a feature adding a table adds its entity here and a migration in migrations/. */
export const entities = [
  Order,
  OrderLine,
  Refund,
  FxRate,
  SpotifyWeeklyStats,
  SpotifyMonthlyStats,
  SpotifyRevenueLine,
  SpotifyQuarterActual,
  Setting,
  UploadLog,
  User,
  AlertRuleEntity,
  AlertEventEntity,
];
