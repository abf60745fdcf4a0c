// What the soak knows about its own writes: which were acknowledged (a 2xx reached the
// client) and must survive any crash, and which were in flight when the server was killed
// and so may or may not have landed. Every text it sends is unique, so a message found in a
// thread after a restart can be matched to the write that sent it.
import type { MailboxKeys, ReportDocument, Role } from '../../web/protocol/index.js';

export interface SoakCase {
  caseId: string;
  /** The reporter's keys, derived once from the passphrase and reused. */
  keys: MailboxKeys;
  /** The reporter's own copy of the case key (opened from its sealed copy). */
  caseKey: Uint8Array;
  report: ReportDocument;
  /** Null when the write was in flight at a kill (no receipt reached the client). */
  reference: string | null;
  cycle: number;
}

export interface SoakMessage {
  caseId: string;
  role: Role;
  text: string;
  cycle: number;
}

/** An in-flight write is checked once after the restart; then it has landed or it has not. */
type Outcome = 'unknown' | 'absent';

export class Ledger {
  /** Acknowledged reports (and in-flight ones that were found to have landed). */
  readonly cases = new Map<string, SoakCase>();
  /** Acknowledged replies by text (and in-flight ones found to have landed); add with addMessage. */
  readonly messages = new Map<string, SoakMessage>();
  private readonly messagesByCase = new Map<string, SoakMessage[]>();
  readonly inFlightCases = new Map<string, { case: SoakCase; outcome: Outcome }>();
  readonly inFlightMessages = new Map<string, { message: SoakMessage; outcome: Outcome }>();
  /** Acknowledged writes found missing or altered, by a key naming each once. */
  readonly lost = new Set<string>();
  private counter = 0;

  /** A text no other write in this run has used. */
  uniqueTag(kind: string, cycle: number): string {
    return `${kind}#${++this.counter}@c${cycle}`;
  }

  addMessage(message: SoakMessage): void {
    this.messages.set(message.text, message);
    const list = this.messagesByCase.get(message.caseId) ?? [];
    list.push(message);
    this.messagesByCase.set(message.caseId, list);
  }

  messagesOf(caseId: string): readonly SoakMessage[] {
    return this.messagesByCase.get(caseId) ?? [];
  }
}
