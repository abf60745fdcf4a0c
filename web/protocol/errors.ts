// The protocol's error kinds. They never blur: a caller can tell malformed input from
// a failed authentication from an unsupported version, and show a person the right words.

export type ProtocolErrorKind =
  | 'malformed' // wrong length, bad encoding, not the shape the spec gives
  | 'unsupported_version' // a version byte this client does not speak
  | 'authentication_failed' // AEAD tag or sealed box did not open
  | 'bad_signature' // a signature did not verify against the expected key
  | 'wrong_binding' // it opened, but belongs to another case or message
  | 'missing_key' // sealed to a key this device does not hold (e.g. a key version it was never given)
  | 'untrusted_key'; // a key whose chain to the organisation's anchor (or to a member's invitation) does not verify

export class ProtocolError extends Error {
  constructor(
    readonly kind: ProtocolErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
