/** The registry of downstream systems (`LEDGER_SYSTEMS`) and the commands derived for them. */
export const SYSTEMS_REGISTRY = Symbol('SYSTEMS_REGISTRY');
export const COMMAND_STORE = Symbol('COMMAND_STORE');
