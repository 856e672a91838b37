import { STATUS_CODES } from 'node:http';

/** The one error shape of the API (`shared/spec/api.md`): one line per problem. */
export interface HttpErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string[];
}

export function httpErrorBody(
  statusCode: number,
  message: string | readonly string[],
): HttpErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: typeof message === 'string' ? [message] : [...message],
  };
}
