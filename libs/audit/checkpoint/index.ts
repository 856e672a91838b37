export * from './checkpoint.errors';
export * from './checkpoint-text';
export * from './signed-note';
export * from './ed25519-note-keys';
export * from './signing-key';
