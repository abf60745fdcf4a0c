// Report references: random, short, easy to read aloud. Made by the server from its CSPRNG,
// so they have no relation to the passphrase or to anything the reporter sent.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // no I, L, O, U: nothing to misread

export function newReference(randomBytes: (length: number) => Uint8Array): string {
  const bytes = randomBytes(5); // 40 bits → 8 characters
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}
