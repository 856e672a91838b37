import { parseApiKeys, rolesOfKey } from './api-keys';

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
});
