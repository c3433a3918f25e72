import { Controller } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../../modules/access/access.decorators';
import { Db } from '../database/db';
import { withinTime } from '../time-limit';
import { AppError } from './app-error';
import { ApiTag } from './api-contract/api-tags';
import { Operation } from './api-contract/operation.decorator';
import { LivenessSchema, ReadinessSchema } from './health.responses';

/** Readiness gives up on a database that does not answer within this, rather than hang the probe. */
const READY_TIMEOUT_MS = 2_000;

/** Served outside /api/v1 (see create-app.ts and test/support/routes.ts); probes are never rate limited. */
export const HEALTH_PATHS = ['health', 'health/live', 'health/ready'];

@ApiTag('health', { ja: '稼働確認（認証不要）', en: 'Probes for the orchestrator (no sign-in)' })
@Controller('health')
@SkipThrottle()
export class HealthController {
  constructor(private readonly db: Db) {}

  @Operation({
    route: 'GET live',
    id: 'checkLiveness',
    summary: { ja: '稼働確認：処理を受け付けている間は 200（データベースには触れない）', en: 'Liveness: 200 while the process serves requests; never touches the database' },
    response: { schema: LivenessSchema },
    public: true,
  })
  @Public()
  live() {
    return { status: 'ok' };
  }

  @Operation({
    route: 'GET ready',
    id: 'checkReadiness',
    summary: { ja: '準備確認：データベースへの往復。到達できない間は 503', en: 'Readiness: a database round trip; 200, or 503 problem+json while the database is unreachable' },
    response: { schema: ReadinessSchema },
    public: true,
  })
  @Public()
  ready() {
    return this.checkDatabase();
  }

  @Operation({
    route: 'GET ',
    id: 'checkHealth',
    summary: { ja: '準備確認（/health/ready と同じ。既存のスクリプト向け）', en: 'Readiness, as /health/ready (kept for existing scripts)' },
    response: { schema: ReadinessSchema },
    public: true,
  })
  @Public()
  health() {
    return this.checkDatabase();
  }

  private async checkDatabase() {
    try {
      await withinTime(this.db.ping(), READY_TIMEOUT_MS);
    } catch {
      throw new AppError('service_unavailable', { detail: { ja: 'データベースに接続できません。', en: 'The database is unreachable.' } });
    }
    return { status: 'ok', database: 'up' };
  }
}
