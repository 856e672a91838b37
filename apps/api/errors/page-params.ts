import { ValidateBy } from 'class-validator';

/**
 * The paging parameters the compliance lists share: `limit` (a whole number up to the
 * route's maximum) and `cursor` (the opaque nextCursor the previous page returned).
 */
export function pageSize(max: number) {
  return ValidateBy(
    {
      name: 'isPageSize',
      validator: { validate: (v) => Number.isInteger(v) && v >= 1 && v <= max },
    },
    { message: `limit: must be a whole number from 1 to ${max}` },
  );
}

export function pageCursor() {
  return ValidateBy(
    {
      name: 'isCursor',
      validator: { validate: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,2000}$/.test(v) },
    },
    { message: 'cursor: must be a nextCursor this route returned' },
  );
}
