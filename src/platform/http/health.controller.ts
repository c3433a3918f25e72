import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../../modules/access/access.decorators';
import { Db } from '../database/db';
import { withinTime } from '../time-limit';
import { AppError } from './app-error';

/** Readiness gives up on a database that does not answer within this, rather than hang the probe. */
const READY_TIMEOUT_MS = 2_000;

/** Served outside /api/v1 (see create-app.ts and test/support/routes.ts); probes are never rate limited. */
export const HEALTH_PATHS = ['health', 'health/live', 'health/ready'];

@ApiTags('health')
@Controller('health')
@SkipThrottle()
export class HealthController {
  constructor(private readonly db: Db) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: 200 while the process serves requests; never touches the database' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: a database round trip; 200, or 503 problem+json while the database is unreachable' })
  ready() {
    return this.checkDatabase();
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Readiness, as /health/ready (kept for existing scripts)' })
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
