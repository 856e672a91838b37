import type { SubjectContentText } from './subject-content';

/** A run of a stream's stored events to open on a thread of `ContentOpeners`. */
export interface OpenContentJob {
  readonly payloads: readonly string[];
  /** The live keys of the active records: copied into the message, dropped with it. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
  readonly activeRecordIds: readonly string[];
}

export type OpenContentAnswer =
  | { readonly content: SubjectContentText }
  | { readonly failure: { readonly decryption: boolean; readonly message: string } };
