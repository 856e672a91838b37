import { parseStrictJson } from './json-body';

describe('request bodies, read strictly as express json() read them', () => {
  it('takes an object or an array, leading whitespace allowed', () => {
    expect(parseStrictJson(' \n{"a":1}')).toEqual({ a: 1 });
    expect(parseStrictJson('[1]')).toEqual([1]);
  });

  it('reads an empty body as {}', () => {
    expect(parseStrictJson('')).toEqual({});
    expect(parseStrictJson('  ')).toEqual({});
  });

  it.each(['"text"', 'null', '12', 'true', '{"a":'])('refuses %s', (text) => {
    expect(() => parseStrictJson(text)).toThrow(SyntaxError);
  });
});
