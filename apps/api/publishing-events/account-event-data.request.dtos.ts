import { ApiSchema } from '@nestjs/swagger';
import {
  ACCOUNT_ROLES,
  CLOSE_REASONS,
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  RECIPIENT_TYPES,
  type AccountClosedData,
  type AccountCreatedData,
  type AccountRole,
  type BugReportedData,
  type CloseReason,
  type ContactChannel,
  type ContactDirection,
  type ContactMadeData,
  type ProspectRegisteredData,
  type RecipientType,
  type ReportSharedData,
  type ReviewPostedData,
} from '../../../libs/domain/events';
import { BooleanField, EnumField, IdField } from './event-fields.decorators';

// `data` of the events about an account and what its holder does on the platform.

@ApiSchema({ description: '`data` of AccountCreated.' })
export class AccountCreatedDataDto implements AccountCreatedData {
  @EnumField(ACCOUNT_ROLES, { description: 'What the account is for.', example: 'member' })
  role!: AccountRole;

  @IdField({ description: 'The school the member came with.', optional: true })
  schoolId?: string;

  @IdField({ description: 'The company of a client account.', optional: true })
  companyId?: string;

  @BooleanField({ description: 'Opened through a school invitation link.', optional: true })
  viaSchoolLink?: boolean;
}

@ApiSchema({ description: '`data` of LastActivity: empty, `occurredAt` is the activity.' })
export class LastActivityDataDto {}

@ApiSchema({ description: '`data` of VisitRecorded: empty.' })
export class VisitRecordedDataDto {}

@ApiSchema({ description: '`data` of ContactMade.' })
export class ContactMadeDataDto implements ContactMadeData {
  @EnumField(CONTACT_CHANNELS, { description: 'How the contact happened.', example: 'email' })
  channel!: ContactChannel;

  @EnumField(CONTACT_DIRECTIONS, { description: 'Who reached out.', example: 'inbound' })
  direction!: ContactDirection;

  @IdField({ description: 'The platform id of the other party.', optional: true })
  counterpartId?: string;
}

@ApiSchema({ description: '`data` of AccountClosed.' })
export class AccountClosedDataDto implements AccountClosedData {
  @EnumField(CLOSE_REASONS, { description: 'Why the account closed.', example: 'user-request' })
  reason!: CloseReason;
}

@ApiSchema({ description: '`data` of ProspectRegistered.' })
export class ProspectRegisteredDataDto implements ProspectRegisteredData {
  @IdField({ description: 'Where the prospect came from.', example: 'trade-fair-2024' })
  origin!: string;
}

@ApiSchema({ description: '`data` of ReviewPosted.' })
export class ReviewPostedDataDto implements ReviewPostedData {
  @IdField({ description: 'The review, as the platform knows it.', example: 'review-9' })
  reviewId!: string;
}

@ApiSchema({ description: '`data` of BugReported.' })
export class BugReportedDataDto implements BugReportedData {
  @IdField({ description: 'The bug report.', example: 'bug-311' })
  reportId!: string;
}

@ApiSchema({ description: '`data` of ReportShared.' })
export class ReportSharedDataDto implements ReportSharedData {
  @IdField({ description: 'The activity report.', example: 'report-12' })
  reportId!: string;

  @EnumField(RECIPIENT_TYPES, { description: 'Who received it.', example: 'school' })
  recipientType!: RecipientType;

  @IdField({ description: 'The receiving school or company.', example: 'school-3' })
  recipientId!: string;
}
