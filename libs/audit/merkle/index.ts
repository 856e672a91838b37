export * from './perfect-subtrees';
export * from './proof-error';
export * from './tree-frontier';
export * from './tree-hashes';
export * from './tree-proofs';
