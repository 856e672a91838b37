import { createParamDecorator, ForbiddenException, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../auth/roles';

/** Who called, as the API key guard found it (no platform type: Express or Fastify alike). */
export interface Caller {
  readonly roles: ReadonlySet<Role>;
  readonly systems: ReadonlySet<string>;
}

export const CallerOf = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const request = context
    .switchToHttp()
    .getRequest<{ roles?: ReadonlySet<Role>; systems?: ReadonlySet<string> }>();
  return { roles: request.roles ?? new Set(), systems: request.systems ?? new Set() };
});

/** A system's key acts for its own system only; admin for every one. */
export function assertActsFor(caller: Caller, system: string): void {
  if (caller.roles.has('admin') || caller.systems.has(system)) return;
  throw new ForbiddenException('this key may not act for this system');
}
