/**
 * Standard base64 (RFC 4648 section 4) with padding, and only its canonical spelling.
 * Node's decoder skips characters it does not know and ignores non-zero padding bits, so
 * "valid" text could hide other bytes and one value could have two spellings.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
