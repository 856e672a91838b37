/**
 * Someone read an archived record's personal data through the explicit archive read
 * (issue 4, point 3). Written in the subject's stream before the data is handed over, so
 * that every read of evidence is itself on the record. The subject's state does not fold it.
 */
export interface ArchiveReadData {
  readonly recordKey: string;
  readonly category: string;
  /** Why, as the reader wrote it. */
  readonly reason: string;
  /** The roles of the API key that read (`compliance`, `admin`): who, never the key. */
  readonly readBy: readonly string[];
  /** The events whose sealed values were opened. */
  readonly eventIds: readonly string[];
}

export const ARCHIVE_READ = 'ArchiveRead';
