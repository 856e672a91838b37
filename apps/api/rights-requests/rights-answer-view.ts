import type { RightsRequestAnsweredData } from '../../../libs/domain/events/ledger-written-events';

/** The 201 of `POST /v1/subjects/{subjectId}/requests`: the answer as recorded, and more. */
export interface RightsAnswerView extends RightsRequestAnsweredData {
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
