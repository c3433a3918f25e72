import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config/config';
import { Db } from './db';
import { JobLock } from './job-lock';
import { DatabaseNotifications } from './notifications';
import { DatabaseLoginCheck } from './login-policy';
import { ormOptions } from './orm-options';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRoot({
          ...ormOptions(config.database.url!, { debug: config.database.debug, poolMax: config.database.poolMax }),
          registerRequestContext: false,
        }) as DynamicModule,
      ],
      providers: [
        Db,
        JobLock,
        { provide: DatabaseNotifications, inject: [Db], useFactory: (db: Db) => new DatabaseNotifications(config.database.url!, db) },
        { provide: DatabaseLoginCheck, useFactory: (orm: MikroORM) => new DatabaseLoginCheck(orm, config.database.onUnsafeLogin), inject: [MikroORM] },
      ],
      exports: [Db, JobLock, DatabaseNotifications],
    };
  }
}
