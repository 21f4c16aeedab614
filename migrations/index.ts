import { InitialSchema1764180000000 } from './1764180000000-InitialSchema';
import { Alerts1795723717361 } from './1795723717361-Alerts';
import { OrderExportIndex1795723985735 } from './1795723985735-OrderExportIndex';
import { AuthAndRealtime1795723729964 } from './1795723729964-AuthAndRealtime';
import { OrderIngestion1795723321755 } from './1795723321755-OrderIngestion';
import { OrderHourlyTotals1795723458900 } from './1795723458900-OrderHourlyTotals';
import { OrderDailyBreakdown1795724004711 } from './1795724004711-OrderDailyBreakdown';
import { OrderDailyTotals1795724856772 } from './1795724856772-OrderDailyTotals';
import { SpotifyUploads1795723314073 } from './1795723314073-SpotifyUploads';
import { SpotifyWeekCountryTotals1795726932259 } from './1795726932259-SpotifyWeekCountryTotals';
import { TypeormMetadata1795727923509 } from './1795727923509-TypeormMetadata';
import { TwoFactorAndSso1798118679278 } from './1798118679278-TwoFactorAndSso';

/**
 * Every migration, oldest first. `npm run migration:generate` writes a new file here; add its class to
 * this list so that the API, the tests and the CLI run the same migrations.
 */
export const migrations = [
  InitialSchema1764180000000,
  SpotifyUploads1795723314073,
  OrderIngestion1795723321755,
  OrderHourlyTotals1795723458900,
  Alerts1795723717361,
  AuthAndRealtime1795723729964,
  OrderExportIndex1795723985735,
  OrderDailyBreakdown1795724004711,
  OrderDailyTotals1795724856772,
  SpotifyWeekCountryTotals1795726932259,
  TypeormMetadata1795727923509,
  TwoFactorAndSso1798118679278,
];
