import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { AppConfig } from '../../config/config';
import { Db } from './db';
import { ormOptions } from './orm-options';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRoot({
          ...ormOptions(config.database.url!, { asService: true, debug: config.database.debug }),
          registerRequestContext: false,
        }) as DynamicModule,
      ],
      providers: [Db],
      exports: [Db],
    };
  }
}
