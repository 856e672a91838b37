import { checkSystemKeys } from '../systems/system-keys';
import { parseApiKeys, rolesOfKey, systemsOfKey } from './api-keys';

const key = (c: string) => c.repeat(20);

describe('API keys', () => {
  it('gives each key its roles, several keys per role allowed', () => {
    const keys = parseApiKeys(`publisher=${key('a')}, publisher=${key('b')},admin=${key('c')}`);
    expect([...rolesOfKey(keys, key('a'))]).toEqual(['publisher']);
    expect([...rolesOfKey(keys, key('b'))]).toEqual(['publisher']);
    expect([...rolesOfKey(keys, key('c'))]).toEqual(['admin']);
    expect(rolesOfKey(keys, key('d')).size).toBe(0);
    expect(rolesOfKey(keys, '').size).toBe(0);
  });

  it('refuses unknown roles and short keys without printing the key', () => {
    expect(() => parseApiKeys(`root=${key('a')}`)).toThrow(/entry 1: the role must be one of/);
    expect(() => parseApiKeys('auditor=short-secret')).toThrow(
      /entry 1 \(auditor\): a key needs at least 16/,
    );
    expect(() => parseApiKeys('auditor=short-secret')).not.toThrow(/short-secret/);
    expect(() => parseApiKeys(' , ')).toThrow(/holds no key/);
  });

  it('scopes a system key to its system', () => {
    const keys = parseApiKeys(
      `system:crm=${key('a')},system:warehouse=${key('b')},admin=${key('c')}`,
    );
    expect([...rolesOfKey(keys, key('a'))]).toEqual(['system']);
    expect([...systemsOfKey(keys, key('a'))]).toEqual(['crm']);
    expect([...systemsOfKey(keys, key('b'))]).toEqual(['warehouse']);
    expect(systemsOfKey(keys, key('c')).size).toBe(0);
    expect(() => parseApiKeys(`system=${key('a')}`)).toThrow(/system:<system id>/);
    expect(() => parseApiKeys(`system:CRM=${key('a')}`)).toThrow(/entry 1: the role/);
  });

  it('refuses to start with a key for a system the registry does not name', () => {
    const keys = parseApiKeys(`system:crm=${key('a')}`);
    const pull = { kind: 'pull' as const };
    const crm = {
      id: 'crm',
      categories: [],
      acknowledgeWithin: 'P1D',
      acknowledgeWithinMs: 1,
      delivery: pull,
    };
    expect(checkSystemKeys(keys, { systems: [crm] })).toBe(keys);
    expect(() => checkSystemKeys(keys, { systems: [] })).toThrow(
      'LEDGER_API_KEYS has a key for system "crm", which LEDGER_SYSTEMS does not name',
    );
  });
});
