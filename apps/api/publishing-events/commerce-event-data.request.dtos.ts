import { ApiSchema } from '@nestjs/swagger';
import type {
  ContractEndedData,
  ContractSignedData,
  DisputeClosedData,
  DisputeOpenedData,
  InvoiceIssuedData,
  TransactionRecordedData,
} from '../../../libs/domain/events';
import { AmountField, CurrencyField, IdField } from './event-fields.decorators';

// `data` of the events about money and contracts: the records kept for legal obligations.

@ApiSchema({ description: '`data` of InvoiceIssued.' })
export class InvoiceIssuedDataDto implements InvoiceIssuedData {
  @IdField({ description: 'The invoice number.', example: 'INV-2024-0042' })
  invoiceId!: string;

  @AmountField({ description: 'Total, in `currency` units; may be decimal.', example: 120.5 })
  amount!: number;

  @CurrencyField({ description: 'ISO 4217 code.', example: 'EUR' })
  currency!: string;
}

@ApiSchema({ description: '`data` of TransactionRecorded.' })
export class TransactionRecordedDataDto implements TransactionRecordedData {
  @IdField({ description: 'The transaction.', example: 'tx-77' })
  transactionId!: string;

  @AmountField({ description: 'Amount, in `currency` units; may be decimal.', example: 35 })
  amount!: number;

  @CurrencyField({ description: 'ISO 4217 code.', example: 'EUR' })
  currency!: string;
}

@ApiSchema({ description: '`data` of ContractSigned.' })
export class ContractSignedDataDto implements ContractSignedData {
  @IdField({ description: 'The client contract.', example: 'contract-5' })
  contractId!: string;
}

@ApiSchema({ description: '`data` of ContractEnded.' })
export class ContractEndedDataDto implements ContractEndedData {
  @IdField({ description: 'The client contract.', example: 'contract-5' })
  contractId!: string;
}

@ApiSchema({ description: '`data` of DisputeOpened: holds billing and collections records.' })
export class DisputeOpenedDataDto implements DisputeOpenedData {
  @IdField({ description: 'The dispute.', example: 'dispute-8' })
  disputeId!: string;

  @IdField({ description: 'The invoice disputed, if one is.', optional: true })
  invoiceId?: string;
}

@ApiSchema({ description: '`data` of DisputeClosed: releases the hold of its DisputeOpened.' })
export class DisputeClosedDataDto implements DisputeClosedData {
  @IdField({ description: 'The dispute.', example: 'dispute-8' })
  disputeId!: string;

  @IdField({ description: 'The invoice disputed, if one was.', optional: true })
  invoiceId?: string;
}
