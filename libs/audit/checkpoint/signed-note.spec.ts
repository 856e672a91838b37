import { generateKeyPairSync } from 'node:crypto';
import { NoteError, type NoteProblem } from './checkpoint.errors';
import {
  ed25519NoteSigner,
  ed25519NoteVerifier,
  ed25519PrivateKeyFromSeed,
  parseVerifierKey,
  rawPublicKey,
} from './ed25519-note-keys';
import { openNote, signNote, type NoteVerifier } from './signed-note';
import {
  c2spExamples,
  goNoteTest,
  goSumdbClientTest,
  seedOfGoSignerKey,
} from './testing/published-vectors';

const { text, peterSig, enochSig } = goNoteTest;
const peter = parseVerifierKey(goNoteTest.peterVerifierKey);
const enoch = parseVerifierKey(goNoteTest.enochVerifierKey);

function signerOf(goSignerKey: string) {
  const { name, seed } = seedOfGoSignerKey(goSignerKey);
  return ed25519NoteSigner(name, ed25519PrivateKeyFromSeed(seed));
}

function openFailure(note: string, verifiers: readonly NoteVerifier[]): NoteError {
  try {
    openNote(note, verifiers);
  } catch (error) {
    expect(error).toBeInstanceOf(NoteError);
    return error as NoteError;
  }
  throw new Error(`opened: ${JSON.stringify(note)}`);
}

const expectRejected = (note: string, code: NoteProblem, message: RegExp) => {
  const error = openFailure(note, [peter]);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
};

describe('signed notes (C2SP signed-note)', () => {
  describe('published vectors (golang/mod sumdb/note)', () => {
    it('signs exactly as the Go implementation (TestSign)', () => {
      expect(signNote(text, signerOf(goNoteTest.peterSignerKey))).toBe(`${text}\n${peterSig}`);
    });

    it('opens a note signed by a known key and one unknown key (TestOpen)', () => {
      expect(openNote(`${text}\n${peterSig}${enochSig}`, [peter])).toEqual({
        body: text,
        verifiedBy: ['PeterNeumann'],
      });
      expect(openNote(`${text}\n${peterSig}${enochSig}`, [peter, enoch])).toEqual({
        body: text,
        verifiedBy: ['PeterNeumann', 'EnochRoot'],
      });
    });

    it('rejects a note no known key signed (TestOpen, both unverified)', () => {
      const error = openFailure(`${text}\n${peterSig}${enochSig}`, []);
      expect(error.code).toBe('NOTE.NO_KNOWN_SIGNATURE');
      expect(error.message).toBe(
        'note has no signature by a known key (signed by PeterNeumann+c74f20a3, EnochRoot+af0cfe78; known keys: none)',
      );
    });

    it('rejects two verifiers with one name and key id, only when they are needed', () => {
      const error = openFailure(`${text}\n${enochSig}`, [enoch, peter, enoch]);
      expect(error.code).toBe('NOTE.AMBIGUOUS_KEY');
      expect(error.message).toMatch(/^ambiguous key EnochRoot\+af0cfe78/);
      expect(openNote(`${text}\n${peterSig}`, [enoch, peter, enoch]).verifiedBy).toEqual([
        'PeterNeumann',
      ]);
    });

    it('accepts 100 signatures and rejects 101 (TestOpen, too many signatures)', () => {
      expect(openNote(`${text}\n${peterSig.repeat(100)}`, [peter]).body).toBe(text);
      expectRejected(`${text}\n${peterSig.repeat(101)}`, 'NOTE.MALFORMED', /more than 100/);
    });

    it('rejects an invalid signature by a known key, naming the key (TestOpen)', () => {
      const forged = `${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`;
      expectRejected(
        forged,
        'NOTE.INVALID_SIGNATURE',
        /^invalid signature for key PeterNeumann\+c74f20a3$/,
      );
    });

    it('ignores a bad signature by an unknown key (TestOpen, duplicated signatures)', () => {
      const enochAltered = `${enochSig.slice(0, 60)}ABCD${enochSig.slice(60)}`;
      const note = `${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${enochAltered}`;
      expect(openNote(note, [peter]).verifiedBy).toEqual(['PeterNeumann']);
    });

    it.each([
      ['the text alone', text, /no blank line/],
      ['no signature after the blank line', `${text}\n`, /no signature line/],
      ['no final newline', `${text}\n${peterSig.slice(0, -1)}`, /must end with a newline/],
      ['a control character', `\u0001${text}\n${peterSig}`, /control character/],
      ['a key name with a space', `${text}\n\u2014 Bad Name ${peterSig.split(' ')[2]}`, /base64/],
      ['a line after the signatures', `${text}\n${peterSig}Unexpected line.\n`, /em dash/],
    ])('rejects malformed notes of TestOpen: %s', (_case, note, reason) => {
      expectRejected(note, 'NOTE.MALFORMED', reason);
    });

    it('opens the Go sumdb test log tree head with its verifier key (golang/mod sumdb/client_test.go)', () => {
      const verifier = parseVerifierKey(goSumdbClientTest.verifierKey);
      expect(openNote(goSumdbClientTest.signedTree, [verifier])).toEqual({
        body: 'go.sum database tree\n6\nwc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n',
        verifiedBy: ['localhost.localdev/sumdb'],
      });
      const body = goSumdbClientTest.signedTree.slice(
        0,
        goSumdbClientTest.signedTree.indexOf('\n\n') + 1,
      );
      expect(signNote(body, signerOf(goSumdbClientTest.signerKey))).toBe(
        goSumdbClientTest.signedTree,
      );
    });

    it('splits at the last blank line, and ignores the unknown key of the C2SP example', () => {
      const error = openFailure(c2spExamples.signedNote, [peter]);
      expect(error.code).toBe('NOTE.NO_KNOWN_SIGNATURE');
      expect(error.message).toMatch(/signed by quasimodo\.example\/salvatore\+367ba04b;/);
    });
  });

  describe('with a fresh key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = ed25519NoteSigner('ledger.example/audit', privateKey);
    const verifier = ed25519NoteVerifier('ledger.example/audit', rawPublicKey(privateKey));
    const body = `ledger.example/audit\n3\n${Buffer.alloc(32, 7).toString('base64')}\n`;

    it('round-trips, body included, with a blank line inside the body', () => {
      for (const text of [body, 'first\n\nafter a blank line\n', '\n']) {
        expect(openNote(signNote(text, signer), [verifier])).toEqual({
          body: text,
          verifiedBy: ['ledger.example/audit'],
        });
      }
    });

    it('rejects a tampered body', () => {
      const note = signNote(body, signer).replace('\n3\n', '\n4\n');
      const error = openFailure(note, [verifier]);
      expect(error.code).toBe('NOTE.INVALID_SIGNATURE');
      expect(error.message).toMatch(
        /^invalid signature for key ledger\.example\/audit\+[0-9a-f]{8}$/,
      );
    });

    it('rejects a tampered signature', () => {
      const note = signNote(body, signer);
      const line = note.slice(note.lastIndexOf('\u2014'));
      const bytes = Buffer.from(line.split(' ')[2], 'base64');
      bytes[10] ^= 0x01;
      const tampered = note.replace(
        line,
        `\u2014 ledger.example/audit ${bytes.toString('base64')}\n`,
      );
      expect(openFailure(tampered, [verifier]).code).toBe('NOTE.INVALID_SIGNATURE');
    });

    it('rejects a note signed by another key of the same name, naming both keys', () => {
      const other = ed25519NoteSigner(
        'ledger.example/audit',
        generateKeyPairSync('ed25519').privateKey,
      );
      const error = openFailure(signNote(body, other), [verifier]);
      expect(error.code).toBe('NOTE.NO_KNOWN_SIGNATURE');
      expect(error.message).toBe(
        `note has no signature by a known key (signed by ledger.example/audit+${other.keyId.toString('hex')}; ` +
          `known keys: ledger.example/audit+${verifier.keyId.toString('hex')})`,
      );
    });

    it.each([
      ['bad base64', `${body}\n\u2014 ledger.example/audit not*base64\n`, /not canonical base64/],
      [
        'a signature shorter than its key id',
        `${body}\n\u2014 ledger.example/audit AAAA\n`,
        /4-byte key id.*got 3 bytes/,
      ],
      ['only a key id', `${body}\n\u2014 ledger.example/audit AAAAAA==\n`, /got 4 bytes/],
      ['a hyphen for the em dash', `${body}\n- ledger.example/audit AAAAAAA=\n`, /em dash/],
      ['no signature after the name', `${body}\n\u2014 ledger.example/audit\n`, /no space/],
      ['an empty key name', `${body}\n\u2014  AAAAAAA=\n`, /key name "" is empty/],
      ['a lone surrogate', `\ud800${body}\n\u2014 a AAAAAAA=\n`, /not valid UTF-8/],
    ])('rejects %s as malformed', (_case, note, reason) => {
      const error = openFailure(note, [verifier]);
      expect(error.code).toBe('NOTE.MALFORMED');
      expect(error.message).toMatch(reason);
    });

    it('refuses to sign a body without a final newline, or with a bad signer', () => {
      expect(() => signNote('no newline', signer)).toThrow(/must end with a newline/);
      expect(() => signNote(body, { ...signer, name: 'a+b' })).toThrow(/key name "a\+b"/);
      expect(() => signNote(body, { ...signer, keyId: Buffer.alloc(3) })).toThrow(
        /key id must be 4 bytes, got 3/,
      );
    });
  });
});
