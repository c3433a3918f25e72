import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiIndexController } from './api-index.controller';
import { DemoSignInController } from './modules/demo-sign-in/demo-sign-in.controller';
import { SignInOptionsController } from './modules/demo-sign-in/sign-in-options.controller';
import { TenantFairQueueInterceptor } from './platform/http/tenant-fair-queue.interceptor';
import { APP_CONFIG, type AppConfig } from './config/config';
import { AccessModule } from './modules/access/access.module';
import { AuthenticationGuard, PoliciesGuard } from './modules/access/access.guards';
import { AuditModule } from './modules/audit/audit.module';
import { DirectoryModule } from './modules/directory/directory.module';
import { CasesModule } from './modules/cases/cases.module';
import { InformationRequestsModule } from './modules/information-requests/information-requests.module';
import { ReferralsModule } from './modules/referrals/referrals.module';
import { CoordinationModule } from './modules/coordination/coordination.module';
import { EvacuationSupportModule } from './modules/evacuation-support/evacuation-support.module';
import { ReportingModule } from './modules/reporting/reporting.module';
import { ParticipationModule } from './modules/participation/participation.module';
import { EventsModule } from './platform/events/events.module';
import { IdempotencyKeyExpiry } from './platform/http/idempotency-key-expiry';
import { IdempotencyInterceptor } from './platform/http/idempotency.interceptor';
import { WorkflowsController } from './platform/workflow/workflows.controller';
import { VocabularyController } from './modules/vocabulary/vocabulary.controller';
import { DatabaseModule } from './platform/database/database.module';
import { HealthController } from './platform/http/health.controller';
import { ProblemFilter } from './platform/http/problem.filter';
import { JobRuns } from './platform/observability/job-runs';
import { Metrics } from './platform/observability/metrics';
import { RateLimitGuard } from './platform/http/rate-limit.guard';
import { RequestBodyReader } from './platform/http/request-body';
import { TenantWorkQueue } from './platform/tenant-work-queue';

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
        EventsModule,
        AuditModule,
        DirectoryModule,
        AccessModule,
        CasesModule,
        ReferralsModule,
        InformationRequestsModule,
        CoordinationModule,
        EvacuationSupportModule,
        ReportingModule,
        ParticipationModule,
      ],
      controllers: [ApiIndexController, DemoSignInController, SignInOptionsController, HealthController, WorkflowsController, VocabularyController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        ProblemFilter,
        Metrics,
        JobRuns,
        IdempotencyKeyExpiry,
        TenantWorkQueue,
        { provide: APP_FILTER, useExisting: ProblemFilter },
        // Order matters: rate limit, then who is calling, then whether they may.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        { provide: APP_GUARD, useExisting: PoliciesGuard },
        // The body is read once the caller is known and allowed, before anything looks at it.
        { provide: APP_INTERCEPTOR, useClass: RequestBodyReader },
        { provide: APP_INTERCEPTOR, useClass: TenantFairQueueInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [APP_CONFIG, Metrics, JobRuns, TenantWorkQueue],
    };
  }
}
