import { ApiSchema } from '@nestjs/swagger';
import {
  DIRECTIVES,
  RIGHTS,
  type ConsentGivenData,
  type ConsentWithdrawnData,
  type DataSubjectRight,
  type IdentityProofReceivedData,
  type IdentityVerifiedData,
  type InformationRequestAnsweredData,
  type InformationRequestedData,
  type PostMortemDirective,
  type PostMortemDirectiveRecordedData,
  type RenewalAnsweredData,
  type RightsRequestReceivedData,
} from '../../../libs/domain/events';
import { BooleanField, EnumField, IdField, IdListField } from './event-fields.decorators';

// `data` of the events about consent, requests and the rights of the person.
// Purpose ids are only shaped here: whether the policy knows them is decided downstream.

@ApiSchema({ description: '`data` of ConsentGiven.' })
export class ConsentGivenDataDto implements ConsentGivenData {
  @IdField({ description: 'A purpose id of the policy.', example: 'marketing' })
  purpose!: string;
}

@ApiSchema({ description: '`data` of ConsentWithdrawn.' })
export class ConsentWithdrawnDataDto implements ConsentWithdrawnData {
  @IdField({ description: 'A purpose id of the policy.', example: 'marketing' })
  purpose!: string;
}

@ApiSchema({ description: '`data` of RenewalAnswered: the answer to a renewal the ledger asked.' })
export class RenewalAnsweredDataDto implements RenewalAnsweredData {
  @IdField({ description: 'A purpose id of the policy.', example: 'marketing' })
  purpose!: string;

  @BooleanField({ description: 'Whether the person agreed to keep it.', example: true })
  accepted!: boolean;
}

@ApiSchema({ description: '`data` of RightsRequestReceived.' })
export class RightsRequestReceivedDataDto implements RightsRequestReceivedData {
  @IdField({ description: 'The request.', example: 'rr-19' })
  requestId!: string;

  @EnumField(RIGHTS, { description: 'The right exercised.', example: 'erasure' })
  right!: DataSubjectRight;

  @IdListField({ description: 'Purpose ids the request is limited to.', optional: true })
  purposes?: string[];
}

@ApiSchema({ description: '`data` of IdentityProofReceived.' })
export class IdentityProofReceivedDataDto implements IdentityProofReceivedData {
  @IdField({ description: 'The rights request the proof is for.', example: 'rr-19' })
  requestId!: string;
}

@ApiSchema({ description: '`data` of IdentityVerified.' })
export class IdentityVerifiedDataDto implements IdentityVerifiedData {
  @IdField({ description: 'The rights request the proof was for.', example: 'rr-19' })
  requestId!: string;
}

@ApiSchema({ description: '`data` of InformationRequested.' })
export class InformationRequestedDataDto implements InformationRequestedData {
  @IdField({ description: 'The information request.', example: 'info-4' })
  requestId!: string;
}

@ApiSchema({ description: '`data` of InformationRequestAnswered.' })
export class InformationRequestAnsweredDataDto implements InformationRequestAnsweredData {
  @IdField({ description: 'The information request.', example: 'info-4' })
  requestId!: string;
}

@ApiSchema({ description: '`data` of PostMortemDirectiveRecorded: applied on a `deceased` close.' })
export class PostMortemDirectiveRecordedDataDto implements PostMortemDirectiveRecordedData {
  @EnumField(DIRECTIVES, { description: 'What to do with the data.', example: 'erase' })
  directive!: PostMortemDirective;

  @IdField({ description: 'Who receives the data under `communicate`.', optional: true })
  beneficiaryId?: string;
}
