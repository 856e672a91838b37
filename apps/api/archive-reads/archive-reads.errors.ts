/** The subject has no record with this key and category. */
export class UnknownRecordError extends Error {
  readonly code = 'RECORD.UNKNOWN';
  constructor() {
    super('record: the subject has no record with this key and category');
    this.name = 'UnknownRecordError';
  }
}

/** An active record is no evidence yet: its data is read through the export (issue 6). */
export class RecordNotArchivedError extends Error {
  readonly code = 'RECORD.NOT_ARCHIVED';
  constructor() {
    super('record: not archived; an archive read opens archived records only');
    this.name = 'RecordNotArchivedError';
  }
}

/** Erased: its data key is destroyed, there is nothing left to read. */
export class RecordErasedError extends Error {
  readonly code = 'RECORD.ERASED';
  constructor() {
    super('record: erased; its data key is destroyed and its data cannot be read');
    this.name = 'RecordErasedError';
  }
}
