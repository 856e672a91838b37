/**
 * Test vectors copied verbatim from published sources (nothing here was produced by this
 * repository). Each group names the repository, the path and the commit it was read at.
 */

/**
 * golang/mod, sumdb/note/note_test.go, commit 02c991387e35f9e4c0a9b7ce137717055f8d716d
 * (TestNewVerifier, TestNewSigner, TestSign, TestVerifierList, TestOpen).
 */
export const goNoteTest = {
  peterSignerKey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  peterVerifierKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  enochVerifierKey: 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop',
  text:
    'If you think cryptography is the answer to your problem,\n' +
    "then you don't know what your problem is.\n",
  peterSig:
    '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
  enochSig:
    '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n',
  /** TestNewVerifier: wrong key length with adjusted hash; unknown algorithm with adjusted hash. */
  badVerifierKeys: [
    'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
    'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  ],
} as const;

/**
 * golang/mod, sumdb/client_test.go, commit 8569e2639ca10cf2c77d73ec4eb87a6b8e15ed69: the
 * test log's keys, and the signed tree head of size 6 quoted in TestClientFork's comment (a
 * checkpoint, before the spec had that name).
 */
export const goSumdbClientTest = {
  signerKey:
    'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk',
  verifierKey: 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6',
  signedTree:
    'go.sum database tree\n' +
    '6\n' +
    'wc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n' +
    '\n' +
    '\u2014 localhost.localdev/sumdb AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=\n',
} as const;

/**
 * golang/mod, sumdb/tlog/note_test.go, commit 774e77886cf18ba9e220baec8497d65b0c50373f
 * (TestFormatTree, TestParseTree): the root is RecordHash("hello world"), i.e. the RFC 9162
 * leaf hash SHA-256(0x00 || "hello world").
 */
export const goTlogNoteTest = {
  tree: 'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
  treeSize: 123456789012n,
  rootLeaf: 'hello world',
  badTrees: [
    'go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n',
  ],
} as const;

/**
 * C2SP/C2SP. The examples at the top of the two specs; their keys are not published, so they
 * serve as well-formed notes signed by keys a reader does not know.
 * - signed-note.md, commit 055287621bf3cd13ff4394418a3e8efc2d5e8ed7
 * - tlog-checkpoint.md, commit 2793893976c835db049c194d8f2c4f946dcb70ba
 */
export const c2spExamples = {
  signedNote:
    'Ognuno sta solo sul cuor della terra\n' +
    'trafitto da un raggio di sole:\n' +
    '\n' +
    'ed è subito sera.\n' +
    '\n' +
    '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n',
  checkpoint:
    'example.com/behind-the-sofa\n' +
    '20852163\n' +
    'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n' +
    '\n' +
    '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n',
} as const;

/** The 32-byte Ed25519 seed inside a Go `PRIVATE+KEY+<name>+<hexid>+base64(0x01 || seed)` key. */
export function seedOfGoSignerKey(signerKey: string): { name: string; seed: Buffer } {
  const [, , name, , ...rest] = signerKey.split('+');
  const key = Buffer.from(rest.join('+'), 'base64');
  if (key.length !== 33 || key[0] !== 0x01) throw new Error(`not an Ed25519 signer key: ${name}`);
  return { name, seed: key.subarray(1) };
}
