import type {
  KeptRecord,
  RightsRequestAnsweredData,
  RightsRequestStep,
} from '../../../libs/domain/events/ledger-written-events';

/** The 201 of `POST /v1/subjects/{subjectId}/requests`. */
export interface RightsAnswerView {
  readonly requestId: string;
  readonly right: string;
  readonly purposes?: readonly string[];
  readonly receivedAt: string;
  readonly answerDueBy: string;
  readonly answeredAt: string;
  readonly policyVersion: string;
  readonly done: readonly RightsRequestStep[];
  readonly kept: readonly KeptRecord[];
  /** Access and portability: where the export is read (compliance role). */
  readonly export?: string;
  /** The `RightsRequestAnswered` event. */
  readonly answerEventId: string;
  readonly duplicate: boolean;
}

export function rightsAnswerView(
  subjectId: string,
  answerEventId: string,
  data: RightsRequestAnsweredData,
  duplicate: boolean,
): RightsAnswerView {
  const offersExport = data.right === 'access' || data.right === 'portability';
  return {
    requestId: data.requestId,
    right: data.right,
    ...(data.purposes !== undefined && { purposes: data.purposes }),
    receivedAt: data.receivedAt,
    answerDueBy: data.answerDueBy,
    answeredAt: data.answeredAt,
    policyVersion: data.policyVersion,
    done: data.done,
    kept: data.kept,
    // Built here, never stored: the path names the platform's id, which is personal.
    ...(offersExport && { export: `/v1/subjects/${encodeURIComponent(subjectId)}/export` }),
    answerEventId,
    duplicate,
  };
}
