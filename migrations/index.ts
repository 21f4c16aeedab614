import { Baseline1796000000000 } from './1796000000000-Baseline';
import { ExchangeRates1797000001000 } from './1797000001000-ExchangeRates';
import { OrderLines1797500000000 } from './1797500000000-OrderLines';
import { TwoFactorAndSso1798118679278 } from './1798118679278-TwoFactorAndSso';
import { ImportHistory1799000000000 } from './1799000000000-ImportHistory';
import { OrderIdentity1799500000000 } from './1799500000000-OrderIdentity';
import { Titles1799600000000 } from './1799600000000-Titles';
import { TitleHourlyRollups1799630792077 } from './1799630792077-TitleHourlyRollups';
import { SetBasedRollupFold1799650000000 } from './1799650000000-SetBasedRollupFold';
import { RoyaltyStatements1799715000000 } from './1799715000000-RoyaltyStatements';
import { PushSubscriptions1799820000000 } from './1799820000000-PushSubscriptions';
import { TitleTriggersByIds1799850000000 } from './1799850000000-TitleTriggersByIds';
import { TitleMonthlyRollups1799900000000 } from './1799900000000-TitleMonthlyRollups';
import { CatalogueVersion1799960000000 } from './1799960000000-CatalogueVersion';
import { AllocationByShares1799970000000 } from './1799970000000-AllocationByShares';

/**
 * Every migration, oldest first. `npm run migration:generate` writes a new file here; add its class to
 * this list so that the API, the tests and the CLI run the same migrations.
 */
export const migrations = [
  Baseline1796000000000,
  ExchangeRates1797000001000,
  OrderLines1797500000000,
  TwoFactorAndSso1798118679278,
  ImportHistory1799000000000,
  OrderIdentity1799500000000,
  Titles1799600000000,
  TitleHourlyRollups1799630792077,
  SetBasedRollupFold1799650000000,
  RoyaltyStatements1799715000000,
  PushSubscriptions1799820000000,
  TitleTriggersByIds1799850000000,
  TitleMonthlyRollups1799900000000,
  CatalogueVersion1799960000000,
  AllocationByShares1799970000000,
];
