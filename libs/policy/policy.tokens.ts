export const POLICY = Symbol('POLICY');
