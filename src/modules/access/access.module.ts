import { Module } from '@nestjs/common';
import { TokenVerifier } from '../../platform/auth/token-verifier';
import { DirectoryModule } from '../directory/directory.module';
import { AbilityFactory } from './ability.factory';
import { AuthenticationGuard, PoliciesGuard } from './access.guards';

/** CASL: who may do what. Sign-in and the route guards live here too. */
@Module({
  imports: [DirectoryModule],
  providers: [AbilityFactory, TokenVerifier, AuthenticationGuard, PoliciesGuard],
  exports: [AbilityFactory, TokenVerifier, AuthenticationGuard, PoliciesGuard],
})
export class AccessModule {}
