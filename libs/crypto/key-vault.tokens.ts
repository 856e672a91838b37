export const KEY_VAULT = Symbol('KEY_VAULT');
