import { NoteError } from './checkpoint.errors';
import { decodeStrictBase64 } from './strict-base64';

/**
 * C2SP signed-note (the format of golang.org/x/mod/sumdb/note): a text ending in a newline,
 * a blank line, then one line per signature, `— <key name> base64(key id || signature)`.
 */
export interface NoteSigner {
  readonly name: string;
  /** 4 bytes, big-endian; for Ed25519 see `noteKeyId`. */
  readonly keyId: Buffer;
  sign(message: Buffer): Buffer;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  verify(message: Buffer, signature: Buffer): boolean;
}

export interface OpenedNote {
  readonly body: string;
  /** Names of the known keys whose signatures verified, in the note's order. */
  readonly verifiedBy: string[];
}

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const KEY_ID_BYTES = 4;
// The spec asks readers to cap the count (and accept at least 16); 100 is the Go reader's cap.
const MAX_SIGNATURES = 100;
const CONTROL_CHARACTER_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Non-empty, valid UTF-8, no Unicode space, no '+' (it separates the parts of a verifier key). */
export function isValidKeyName(name: string): boolean {
  return (
    name !== '' && !LONE_SURROGATE.test(name) && !/[\p{White_Space}+\u0000-\u001f]/u.test(name)
  );
}

export function signNote(body: string, signer: NoteSigner): string {
  checkNoteText(body);
  if (!body.endsWith('\n')) throw malformed('the text must end with a newline');
  checkKeyIdentity(signer.name, signer.keyId, 'signer');
  const signature = signer.sign(Buffer.from(body, 'utf8'));
  const encoded = Buffer.concat([signer.keyId, signature]).toString('base64');
  return `${body}\n${SIGNATURE_PREFIX}${signer.name} ${encoded}\n`;
}

/**
 * Checks a note against the keys the reader trusts. Signatures by other keys are ignored;
 * a known key's bad signature rejects the whole note, and so does having no known signature.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { body, signatures } = parseNote(note);
  const known = indexVerifiers(verifiers);
  const message = Buffer.from(body, 'utf8');
  const verifiedBy: string[] = [];
  for (const signature of signatures) {
    const candidates = known.get(keyLabel(signature.name, signature.keyId)) ?? [];
    if (candidates.length === 0) continue;
    if (candidates.length > 1) {
      throw new NoteError(
        'NOTE.AMBIGUOUS_KEY',
        `ambiguous key ${keyLabel(signature.name, signature.keyId)}: two verifiers have this name and key id`,
      );
    }
    // Every signature by a known key is checked, repeated ones included (the spec's MUST).
    if (!candidates[0].verify(message, signature.signature)) {
      throw new NoteError(
        'NOTE.INVALID_SIGNATURE',
        `invalid signature for key ${keyLabel(signature.name, signature.keyId)}`,
      );
    }
    if (!verifiedBy.includes(signature.name)) verifiedBy.push(signature.name);
  }
  if (verifiedBy.length === 0) {
    const signedBy = [...new Set(signatures.map((s) => keyLabel(s.name, s.keyId)))].join(', ');
    const knownKeys = verifiers.map((v) => keyLabel(v.name, v.keyId)).join(', ') || 'none';
    throw new NoteError(
      'NOTE.NO_KNOWN_SIGNATURE',
      `note has no signature by a known key (signed by ${signedBy}; known keys: ${knownKeys})`,
    );
  }
  return { body, verifiedBy };
}

interface NoteSignature {
  readonly name: string;
  readonly keyId: Buffer;
  readonly signature: Buffer;
}

function parseNote(note: string): { body: string; signatures: NoteSignature[] } {
  checkNoteText(note);
  if (!note.endsWith('\n')) throw malformed('the note must end with a newline');
  // The text may hold blank lines itself: the last blank line is the separator.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line between the text and the signatures');
  const body = note.slice(0, split + 1);
  const signatureBlock = note.slice(split + 2);
  if (signatureBlock === '') throw malformed('no signature line after the blank line');
  const signatureLines = signatureBlock.slice(0, -1).split('\n');
  if (signatureLines.length > MAX_SIGNATURES) {
    throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  }
  return {
    body,
    signatures: signatureLines.map((line, index) => parseSignatureLine(line, index + 1)),
  };
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  const problem = (reason: string) => malformed(`signature line ${number}: ${reason}`);
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw problem('it does not start with an em dash (U+2014) and a space');
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw problem('no space between the key name and the signature');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw problem(`key name "${name}" is empty or has a space or '+'`);
  const bytes = decodeStrictBase64(rest.slice(space + 1));
  if (bytes === undefined) throw problem('the signature is not canonical base64');
  if (bytes.length <= KEY_ID_BYTES) {
    throw problem(
      `a ${KEY_ID_BYTES}-byte key id and a signature were expected, got ${bytes.length} bytes`,
    );
  }
  return { name, keyId: bytes.subarray(0, KEY_ID_BYTES), signature: bytes.subarray(KEY_ID_BYTES) };
}

function indexVerifiers(verifiers: readonly NoteVerifier[]): Map<string, NoteVerifier[]> {
  const index = new Map<string, NoteVerifier[]>();
  for (const verifier of verifiers) {
    checkKeyIdentity(verifier.name, verifier.keyId, 'verifier');
    const label = keyLabel(verifier.name, verifier.keyId);
    index.set(label, [...(index.get(label) ?? []), verifier]);
  }
  return index;
}

/** `name+hexid`, how the Go tools and the spec's readers name a key in messages. */
export function keyLabel(name: string, keyId: Buffer): string {
  return `${name}+${keyId.toString('hex')}`;
}

function checkKeyIdentity(name: string, keyId: Buffer, role: string): void {
  if (!isValidKeyName(name)) {
    throw new NoteError(
      'NOTE.BAD_KEY',
      `${role} key name "${name}" is empty or has a space or '+'`,
    );
  }
  if (keyId.length !== KEY_ID_BYTES) {
    throw new NoteError(
      'NOTE.BAD_KEY',
      `${role} key id must be ${KEY_ID_BYTES} bytes, got ${keyId.length}`,
    );
  }
}

function checkNoteText(text: string): void {
  if (LONE_SURROGATE.test(text)) throw malformed('the text is not valid UTF-8');
  if (CONTROL_CHARACTER_BUT_NEWLINE.test(text)) {
    throw malformed('it contains a control character other than newline');
  }
}

function malformed(reason: string): NoteError {
  return new NoteError('NOTE.MALFORMED', `malformed note: ${reason}`);
}
