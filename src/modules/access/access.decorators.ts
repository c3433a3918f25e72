import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Action, SubjectType } from './ability.factory';
import type { RequestAuth } from './request-auth';

export const PUBLIC_ROUTE = 'tsunagi:public';
export const REQUIRED_PERMISSION = 'tsunagi:permission';

export interface RequiredPermission {
  action: Action;
  subject: SubjectType;
}

/** No token needed (health). Every other route must declare @Can, or it refuses everyone. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
export const Can = (action: Action, subject: SubjectType) => SetMetadata(REQUIRED_PERMISSION, { action, subject } satisfies RequiredPermission);

/** The signed-in principal, their ability and their audit context. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestAuth => {
  const auth = ctx.switchToHttp().getRequest<Request & { auth?: RequestAuth }>().auth;
  if (!auth) throw new Error('@Auth() used on a public route');
  return auth;
});
