// Attachment descriptors inside the encrypted documents (web/protocol/documents.ts, docs/SPEC.md
// "Documents"): what a report or message says about each file it carries, checked on decoding
// (a bad one is malformed) and on encoding (no sender sends what readers refuse), and the file
// secret a descriptor gives back (web/protocol/file-crypto.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToB64, bytesToUtf8, decodeDocument, encodeDocument, ProtocolError, sodiumReady, utf8ToBytes, type AttachmentDescriptor, type ThreadDocument } from '../../web/protocol/index.js';
import { attachmentFor, encryptFilePartBytes, FileDecryptor, fileSecretOf, newFileSecret } from '../../web/protocol/file-crypto.js';

const good: AttachmentDescriptor = { id: bytesToB64(new Uint8Array(16).fill(1)), key: bytesToB64(new Uint8Array(32).fill(2)), name: 'evidence-1.jpg', type: 'image/jpeg', size: 12_345 };
const message = (attachments: unknown) => ({ kind: 'message', text: 'See the files.', attachments });
const report = (attachments: unknown) => ({ kind: 'report', category: 'bribery', whatHappened: 'Cash.', attachments });
const decodeJson = (value: unknown) => decodeDocument(utf8ToBytes(JSON.stringify(value)));

function kindOf(f: () => unknown): string {
  try {
    f();
    return 'accepted';
  } catch (error) {
    return error instanceof ProtocolError ? error.kind : String(error);
  }
}

beforeAll(sodiumReady);

describe('attachments in a document', () => {
  it('round-trip on a report and a message, none, one or twenty', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...good, id: bytesToB64(new Uint8Array(16).fill(i)), name: `evidence-${i + 1}.jpg` }));
    for (const attachments of [[], [good], many]) {
      for (const doc of [message(attachments), report(attachments)] as ThreadDocument[]) expect(decodeDocument(encodeDocument(doc))).toEqual(doc);
    }
    expect(decodeJson({ kind: 'message', text: 'no files' })).toEqual({ kind: 'message', text: 'no files' });
  });

  it('accept the edges: size 0 and 2^40, a 255-character name in any script, a long office type', () => {
    const edges = [
      { ...good, size: 0 }, { ...good, id: bytesToB64(new Uint8Array(16).fill(9)), size: 2 ** 40 },
      { ...good, id: bytesToB64(new Uint8Array(16).fill(8)), name: '证'.repeat(254) + '😀', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    ];
    expect(decodeJson(message(edges))).toEqual(message(edges));
  });

  it('drop fields a descriptor does not define', () => {
    expect(decodeJson(message([{ ...good, thumbnail: 'x', path: '/home/me' }]))).toEqual(message([good]));
  });

  it.each<[string, unknown]>([
    ['not a list', good],
    ['21 of them', Array.from({ length: 21 }, (_, i) => ({ ...good, id: bytesToB64(new Uint8Array(16).fill(i)) }))],
    ['the same id twice', [good, { ...good, key: bytesToB64(new Uint8Array(32).fill(3)) }]],
    ['not an object', ['evidence-1.jpg']],
    ['no id', [{ ...good, id: undefined }]],
    ['an id of 15 bytes', [{ ...good, id: bytesToB64(new Uint8Array(15)) }]],
    ['an id in padded base64', [{ ...good, id: `${good.id}==` }]],
    ['a key of 31 bytes', [{ ...good, key: bytesToB64(new Uint8Array(31)) }]],
    ['a key that is a number', [{ ...good, key: 7 }]],
    ['an empty name', [{ ...good, name: '' }]],
    ['a name of 256 characters', [{ ...good, name: 'a'.repeat(256) }]],
    ['a name with a slash', [{ ...good, name: '../evidence.jpg' }]],
    ['a name with a backslash', [{ ...good, name: 'C:\\evidence.jpg' }]],
    ['a name with a newline', [{ ...good, name: 'evidence\n.jpg' }]],
    ['a type with parameters', [{ ...good, type: 'text/plain; charset=utf-8' }]],
    ['a type without a subtype', [{ ...good, type: 'image' }]],
    ['a type of 128 characters', [{ ...good, type: `application/${'x'.repeat(116)}` }]],
    ['a negative size', [{ ...good, size: -1 }]],
    ['a fractional size', [{ ...good, size: 1.5 }]],
    ['a size past 2^40', [{ ...good, size: 2 ** 40 + 1 }]],
    ['a size as text', [{ ...good, size: '12345' }]],
  ])('refuse %s as malformed, on decoding and on encoding', (_, attachments) => {
    for (const doc of [message(attachments), report(attachments)]) {
      expect(kindOf(() => decodeJson(doc))).toBe('malformed');
      expect(kindOf(() => encodeDocument(doc as ThreadDocument))).toBe('malformed');
    }
  });

  it('give back the file secret that opens the file', () => {
    const file = newFileSecret(3);
    const descriptor = attachmentFor(file, 'evidence-1.txt', 'text/plain');
    const [decoded] = (decodeDocument(encodeDocument({ kind: 'message', text: '', attachments: [descriptor] })) as { attachments: AttachmentDescriptor[] }).attachments;
    const decryptor = new FileDecryptor(fileSecretOf(decoded!));
    const [content] = decryptor.push(encryptFilePartBytes(file, 0, utf8ToBytes('abc')));
    decryptor.finish();
    expect(bytesToUtf8(content!)).toBe('abc');
  });
});
