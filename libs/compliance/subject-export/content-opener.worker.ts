import { parentPort } from 'node:worker_threads';
import { DecryptionError } from '../../crypto/crypto.errors';
import type { OpenContentAnswer, OpenContentJob } from './content-opening';
import { openSubjectContentText } from './subject-content';

/**
 * A thread of `ContentOpeners`: a run of stored events and the keys in, their opened values
 * out. It keeps nothing between jobs: the keys go with the message.
 */
parentPort!.on('message', (job: OpenContentJob) => {
  let answer: OpenContentAnswer;
  try {
    const keys = new Map<string, Buffer>();
    for (const [keyId, key] of job.keys) {
      keys.set(keyId, Buffer.from(key.buffer, key.byteOffset, key.byteLength));
    }
    answer = { content: openSubjectContentText(job.payloads, keys, job.activeRecordIds) };
  } catch (error) {
    answer = {
      failure: {
        decryption: error instanceof DecryptionError,
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
  parentPort!.postMessage(answer);
});
