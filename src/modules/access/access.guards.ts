import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../../platform/http/app-error';
import { requestIdOf } from '../../platform/http/request-context';
import { InvalidTokenError, TokenVerifier } from '../../platform/auth/token-verifier';
import type { Principal } from '../directory/domain/principal';
import { Principals } from '../directory/principals';
import { AbilityFactory, type AppAbility } from './ability.factory';
import { AccessDeniedError } from './access-denied.error';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION, type RequiredPermission } from './access.decorators';
import { auditContextFor, type RequestAuth } from './request-auth';

type AuthedRequest = Request & { auth?: RequestAuth };

const TOKEN_PROBLEMS = {
  missing: { ja: 'Authorization ヘッダーに Bearer トークンがありません。', en: 'No bearer token in the Authorization header.' },
  expired: { ja: 'トークンの有効期限が切れています。', en: 'The token has expired.' },
  lifetime: {
    ja: 'トークンに有効期限がないか、有効期間が12時間を超えています。',
    en: 'The token has no expiry, or lives longer than 12 hours.',
  },
  invalid: { ja: 'トークンを検証できません。', en: 'The token could not be verified.' },
  unknown: { ja: 'このアカウントは登録されていないか、無効です。', en: 'This account is unknown or disabled.' },
} as const;

/** Verifies the bearer token and loads who it names, with roles from the directory. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  /** A principal reused from the cache keeps the ability built for it. */
  private readonly built = new WeakMap<Principal, AppAbility>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly principals: Principals,
    private readonly abilities: AbilityFactory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    let verified;
    try {
      verified = await this.verifier.verifyRequest(req);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new AppError('unauthenticated', { detail: TOKEN_PROBLEMS[error.reason] });
      throw error;
    }
    const principal = await this.principals.resolve(verified.tenantId, verified.subject);
    if (!principal) throw new AppError('unauthenticated', { detail: TOKEN_PROBLEMS.unknown });
    let ability = this.built.get(principal);
    if (!ability) this.built.set(principal, (ability = this.abilities.for(principal)));
    req.auth = { principal, ability, audit: auditContextFor(principal, requestIdOf(req)) };
    return true;
  }
}

/** Checks the action a route declares. A route that declares none refuses everyone: fail closed. */
@Injectable()
export class PoliciesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const auth = req.auth!;
    const required = this.reflector.getAllAndOverride<RequiredPermission>(REQUIRED_PERMISSION, [context.getHandler(), context.getClass()]);
    if (required && auth.ability.can(required.action, required.subject)) return true;
    throw new AccessDeniedError(auth.audit, {
      action: required?.action ?? 'undeclared',
      subjectType: required?.subject ?? 'Route',
      detail: { route: `${req.method} ${req.route?.path ?? req.path}` },
    });
  }
}
