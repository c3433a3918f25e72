import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../modules/access/access.decorators';
import { Db } from '../database/db';
import { AppError } from './app-error';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness with a database round trip: 200, or 503 while the database is unreachable' })
  async health() {
    try {
      await this.db.ping();
    } catch (error) {
      throw new AppError('service_unavailable', { detail: { ja: 'データベースに接続できません。', en: 'The database is unreachable.' } });
    }
    return { status: 'ok', database: 'up' };
  }
}
