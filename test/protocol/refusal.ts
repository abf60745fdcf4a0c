// How the protocol tests read a refusal: the ProtocolError's kind and the words it gives a person.
import { expect } from 'vitest';
import { ProtocolError, type ProtocolErrorKind } from '../../web/protocol/errors.js';

export type Refusal = { kind: ProtocolErrorKind; message: string } | 'no error' | `not a ProtocolError: ${string}`;

export function refusal(action: () => unknown): Refusal {
  try {
    action();
    return 'no error';
  } catch (error) {
    if (error instanceof ProtocolError) return { kind: error.kind, message: error.message };
    return `not a ProtocolError: ${String(error)}`;
  }
}

/** A refusal of `kind` whose message is exactly `message` (a string) or matches it (a RegExp). */
export function refused(kind: ProtocolErrorKind, message: string | RegExp) {
  return { kind, message: typeof message === 'string' ? message : expect.stringMatching(message) };
}
