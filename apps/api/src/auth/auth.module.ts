import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { AuthMaintenanceJob } from './auth-maintenance.job';
import { Clock } from '../common/clock';
import { LoginLimits } from './login-limits';
import { OidcController } from './oidc.controller';
import { OidcRepository } from './oidc.repository';
import { OidcService } from './oidc.service';
import { PgThrottlerStorage } from './pg-throttler-storage';
import { PrincipalCache } from './principal-cache';
import { Revocations } from './revocations';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorRepository } from './two-factor.repository';
import { TwoFactorService } from './two-factor.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Users, sessions, API tokens, two-factor and single sign-on, and the global guard (SPEC §7). */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [getDataSourceToken()],
      // Login attempts of one address, whatever the e-mail: stops spraying many accounts, while the
      // per-account failure limit in AuthService stops guessing one.
      useFactory: (dataSource: DataSource) => ({
        throttlers: [{ name: 'login', ttl: 60_000, limit: 30 }],
        storage: new PgThrottlerStorage(dataSource),
      }),
    }),
  ],
  controllers: [AuthController, TwoFactorController, OidcController, UsersController],
  providers: [
    AuthRepository,
    AuthService,
    UsersService,
    PgThrottlerStorage,
    LoginLimits,
    TwoFactorRepository,
    TwoFactorService,
    OidcRepository,
    OidcService,
    Clock,
    AuthMaintenanceJob,
    Revocations,
    PrincipalCache,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, Revocations],
})
export class AuthModule {}
