import { parentPort } from 'node:worker_threads';
import { hashLeafChunk, type LeafChunkJob } from './leaf-chunk';

/** A verifier's hashing thread: chunks of leaves.ndjson in, their hashes out, in order. */
parentPort!.on('message', (job: LeafChunkJob) => {
  const hashed = hashLeafChunk(job);
  const transfer = [hashed.subtrees.buffer];
  if (hashed.leafHashes) transfer.push(hashed.leafHashes.buffer);
  parentPort!.postMessage(hashed, transfer as ArrayBuffer[]);
});
