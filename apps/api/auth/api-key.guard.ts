import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_KEY, type Access } from './access.decorators';
import { rolesOfKey, systemsOfKey, type ApiKey } from './api-keys';
import type { Role } from './roles';

export const API_KEYS = Symbol('API_KEYS');

export interface AuthenticatedRequest extends FastifyRequest {
  roles?: ReadonlySet<Role>;
  /** The downstream systems a `system` key acts for. */
  systems?: ReadonlySet<string>;
}

/**
 * Every route says who may call it (`@Allow`, `@AnyRole`, `@Public`); a route that says
 * nothing is closed to all but admin, so forgetting the decorator fails safe.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: readonly ApiKey[],
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]) ?? { roles: [] };
    if (access === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = bearerToken(request.headers.authorization);
    const roles = presented === undefined ? new Set<Role>() : rolesOfKey(this.keys, presented);
    if (roles.size === 0)
      throw new UnauthorizedException('a valid API key is required (Authorization: Bearer <key>)');
    request.roles = roles;
    if (roles.has('system')) request.systems = systemsOfKey(this.keys, presented!);

    if (access === 'any' || roles.has('admin')) return true;
    if (access.roles.some((role) => roles.has(role))) return true;
    throw new ForbiddenException(
      `this route needs one of the roles: ${[...access.roles, 'admin'].join(', ')}`,
    );
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
