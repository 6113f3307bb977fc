/** Token ids as stored: Uint16 little-endian, whatever the machine's byte order. */
export function tokensToBytes(tokens: Uint16Array): Uint8Array {
  const bytes = new Uint8Array(tokens.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < tokens.length; i++) view.setUint16(i * 2, tokens[i]!, true);
  return bytes;
}

/** Stored bytes back to ids; throws RangeError for an odd byte count (a cut-off file). */
export function bytesToTokens(bytes: Uint8Array): Uint16Array {
  if (bytes.length % 2 !== 0) throw new RangeError(`a token file holds 2 bytes per id, got ${bytes.length} bytes`);
  const tokens = new Uint16Array(bytes.length / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < tokens.length; i++) tokens[i] = view.getUint16(i * 2, true);
  return tokens;
}
