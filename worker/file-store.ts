// Where the parts of uploaded files are kept: one interface, two stores. On Node, a table in the
// same SQLite database (no set-up, and `npm run backup` copies it with everything else); on
// Workers, the R2 bucket bound as FILES, one object per part (files/<fileId>/<part>). The store
// holds ciphertext only and knows nothing of cases: which parts a file has is recorded beside
// its row (db/repo/files.ts), after the part's bytes are stored here.
import type { R2Bucket } from '@cloudflare/workers-types/latest';
import { and, eq } from 'drizzle-orm';
import type { ParleyDb } from '../db/database.js';
import { fileBlobs } from '../db/schema.js';

export interface FileStore {
  /** Keeps a part's bytes. */
  putPart(fileId: string, part: number, bytes: Uint8Array): Promise<void>;
  /** Parts 0 … parts-1 in order, read one at a time as the stream is pulled (memory flat). */
  readFile(fileId: string, parts: number): ReadableStream<Uint8Array>;
  /** Removes every part of the file; nothing held is fine. */
  deleteFile(fileId: string): Promise<void>;
}

/** A stream that asks for part k only once part k-1 has been taken. */
function partsStream(parts: number, readPart: (part: number) => Promise<Uint8Array>): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next >= parts) return controller.close();
      controller.enqueue(await readPart(next++));
    },
  }, { highWaterMark: 0 });
}

const missingPart = (fileId: string, part: number) => new Error(`file store: part ${part} of ${fileId} is not held`);

/** Node: the file_blobs table of the app's own database. A part that exists is never rewritten. */
export function databaseFileStore(db: ParleyDb): FileStore {
  return {
    async putPart(fileId, part, bytes) {
      await db.insert(fileBlobs).values({ fileId, part, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }).onConflictDoNothing().run();
    },
    readFile(fileId, parts) {
      return partsStream(parts, async (part) => {
        const row = await db.select({ bytes: fileBlobs.bytes }).from(fileBlobs).where(and(eq(fileBlobs.fileId, fileId), eq(fileBlobs.part, part))).get();
        if (!row) throw missingPart(fileId, part);
        return new Uint8Array(row.bytes);
      });
    },
    async deleteFile(fileId) {
      await db.delete(fileBlobs).where(eq(fileBlobs.fileId, fileId)).run();
    },
  };
}

const partKey = (fileId: string, part: number) => `files/${fileId}/${part}`;

/** Workers: the R2 bucket bound as FILES. */
export function r2FileStore(bucket: R2Bucket): FileStore {
  return {
    async putPart(fileId, part, bytes) {
      await bucket.put(partKey(fileId, part), bytes);
    },
    readFile(fileId, parts) {
      return partsStream(parts, async (part) => {
        const object = await bucket.get(partKey(fileId, part));
        if (!object) throw missingPart(fileId, part);
        return new Uint8Array(await object.arrayBuffer());
      });
    },
    async deleteFile(fileId) {
      // A file has at most a few hundred parts; list pages hold up to 1000 keys.
      for (let cursor: string | undefined; ;) {
        const listed = await bucket.list({ prefix: `files/${fileId}/`, ...(cursor ? { cursor } : {}) });
        if (listed.objects.length > 0) await bucket.delete(listed.objects.map((o) => o.key));
        if (!listed.truncated) return;
        cursor = listed.cursor;
      }
    },
  };
}
