import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../auth/roles';

/**
 * The roles the API key guard found for the caller's key, sorted: who acted, as the log may
 * name them (a key's role, never the key). Reads only the field the guard sets, so it works
 * on any HTTP platform.
 */
export const ActingRoles = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<{ roles?: ReadonlySet<Role> }>();
  return [...(request.roles ?? [])].sort();
});
