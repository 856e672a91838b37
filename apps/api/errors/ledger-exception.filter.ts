import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
  'RIGHTS_REQUEST.ID_REUSED': 409,
  'RECORD.UNKNOWN': 404,
  'RECORD.NOT_ARCHIVED': 409,
  'RECORD.ERASED': 410,
  'EVENT_STORE.CONCURRENCY': 409,
  'EVENT_STORE.DUPLICATE_EVENT_ID': 409,
  'EVENT_STORE.UNAVAILABLE': 503,
  'AUDIT.OUT_OF_RANGE': 400,
  'AUDIT.UNKNOWN_EVENT': 404,
  'AUDIT.NO_CHECKPOINT': 404,
  'AUDIT.TREE_BEHIND': 503,
  // The ledger's own integrity alarm: its message names sizes and event ids, nothing personal.
  'AUDIT.INCONSISTENT_CHECKPOINT': 500,
  'CERTIFICATE.NOT_AN_ERASURE': 404,
  // A fact names evidence the log lacks: the log is damaged. Event ids only, no personal data.
  'CERTIFICATE.EVIDENCE_MISSING': 500,
};

@Catch()
export class LedgerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const body = this.toBody(exception, http.getRequest<FastifyRequest>());
    if (body.statusCode >= 500) {
      const { name, code } = (exception ?? {}) as { name?: string; code?: string };
      this.logger.error({ errorType: name, code, status: body.statusCode }, 'request failed');
    }
    void http.getResponse<FastifyReply>().status(body.statusCode).send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): HttpErrorBody {
    if (exception instanceof HttpException) return fromHttpException(exception, request);
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

/**
 * Nest's own exceptions (guards, 404) in our shape, and Fastify's refusals of a body, which
 * Nest hands over as HttpExceptions: their messages get fixed sentences of ours.
 */
function fromHttpException(exception: HttpException, request: FastifyRequest): HttpErrorBody {
  const status = exception.getStatus();
  if (status === 413) {
    return httpErrorBody(
      413,
      `body: larger than the limit of ${request.routeOptions.bodyLimit} bytes`,
    );
  }
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? (response as { message: string | string[] }).message
      : exception.message;
  return httpErrorBody(status, message);
}
