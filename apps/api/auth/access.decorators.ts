import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

export const ACCESS_KEY = 'ledger:access';

/** Who may call a route. `admin` may call every route; `'any'` means any valid key. */
export type Access = { readonly roles: readonly Role[] } | 'any' | 'public';

export const Allow = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { roles } satisfies Access);
export const AnyRole = () => SetMetadata(ACCESS_KEY, 'any' satisfies Access);
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies Access);
