import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from './config/config';
import { AccessModule } from './modules/access/access.module';
import { AuthenticationGuard, PoliciesGuard } from './modules/access/access.guards';
import { AuditModule } from './modules/audit/audit.module';
import { DirectoryModule } from './modules/directory/directory.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthController } from './platform/http/health.controller';
import { ProblemFilter } from './platform/http/problem.filter';
import { RateLimitGuard } from './platform/http/rate-limit.guard';

@Module({})
export class AppModule {
  /** `config.database.url` must be resolved (the embedded server started) before this is built. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config),
        CqrsModule.forRoot(),
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.rateLimitPerMinute }]),
        AuditModule,
        DirectoryModule,
        AccessModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        ProblemFilter,
        { provide: APP_FILTER, useExisting: ProblemFilter },
        // Order matters: rate limit, then who is calling, then whether they may.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        { provide: APP_GUARD, useExisting: PoliciesGuard },
      ],
      exports: [APP_CONFIG],
    };
  }
}
