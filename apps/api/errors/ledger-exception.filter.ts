import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { httpErrorBody, type HttpErrorBody } from './http-error-body';

/**
 * Stable error codes -> HTTP. The domain and the libs throw errors with a `code`; only here
 * do they become statuses. Unknown errors become a bare 500: their messages could carry
 * anything, personal data included, so they go to the log by type and code only.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  'REQUEST.INVALID': 400,
  'EVENTS.ID_REUSED': 409,
  'SUBJECT.UNKNOWN': 404,
  'LEGAL_HOLD.UNKNOWN': 404,
  'RECORD.UNKNOWN': 404,
  'RECORD.NOT_ARCHIVED': 409,
  'RECORD.ERASED': 410,
  'EVENT_STORE.CONCURRENCY': 409,
  'EVENT_STORE.DUPLICATE_EVENT_ID': 409,
  'EVENT_STORE.UNAVAILABLE': 503,
};

@Catch()
export class LedgerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      const { name, code } = (exception ?? {}) as { name?: string; code?: string };
      this.logger.error({ errorType: name, code, status: body.statusCode }, 'request failed');
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): HttpErrorBody {
    if (exception instanceof HttpException) return fromHttpException(exception);
    const bodyParserProblem = fromBodyParser(exception);
    if (bodyParserProblem) return bodyParserProblem;
    const { code, problems, eventIds, message } = (exception ?? {}) as {
      code?: string;
      problems?: string[];
      eventIds?: string[];
      message?: string;
    };
    const status = code ? STATUS_BY_CODE[code] : undefined;
    if (status === undefined) return httpErrorBody(500, 'internal error');
    if (problems) return httpErrorBody(status, problems);
    if (eventIds && code === 'EVENTS.ID_REUSED') {
      return httpErrorBody(
        status,
        eventIds.map((id) => `events: ${id} is already stored with a different body`),
      );
    }
    return httpErrorBody(status, message ?? code!);
  }
}

/** Nest's own exceptions (guards, body parser: 400 bad JSON, 413 too large) in our shape. */
function fromHttpException(exception: HttpException): HttpErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? (response as { message: string | string[] }).message
      : exception.message;
  return httpErrorBody(status, message);
}

/**
 * express's body parser refuses before any route runs. Its messages can quote the body
 * (JSON syntax errors do), so each kind gets a fixed sentence instead.
 */
function fromBodyParser(exception: unknown): HttpErrorBody | undefined {
  const { type, status, limit } = (exception ?? {}) as {
    type?: string;
    status?: number;
    limit?: number;
  };
  if (typeof type !== 'string' || !type.startsWith('entity.') || typeof status !== 'number')
    return undefined;
  if (type === 'entity.too.large')
    return httpErrorBody(413, `body: larger than the limit of ${limit} bytes`);
  if (type === 'entity.parse.failed') return httpErrorBody(400, 'body: not valid JSON');
  return httpErrorBody(status >= 400 && status < 500 ? status : 400, `body: refused (${type})`);
}
