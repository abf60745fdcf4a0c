// A Blob built from decrypted pieces as they arrive. The pieces are folded into the Blob every few
// MiB, so a large file sits in the browser's blob storage (which spills to disk) rather than in
// the JavaScript heap: memory stays flat however big the file. Works in a page and in a worker.

const FOLD_BYTES = 4 * 1024 * 1024;

export class BlobSink {
  #blob = new Blob([]);
  #pieces: Uint8Array<ArrayBuffer>[] = [];
  #pending = 0;

  /** Takes a piece; the caller must not reuse it (it is wiped once copied into the Blob). */
  readonly push = (piece: Uint8Array): void => {
    this.#pieces.push(piece as Uint8Array<ArrayBuffer>);
    this.#pending += piece.length;
    if (this.#pending >= FOLD_BYTES) this.#fold();
  };

  /** The whole file, typed application/octet-stream: a type the sender chose is never trusted. */
  finish(): Blob {
    this.#fold();
    return this.#blob;
  }

  /** Drops what was gathered (a download that failed half-way keeps nothing). */
  discard(): void {
    for (const piece of this.#pieces) piece.fill(0);
    this.#pieces = [];
    this.#blob = new Blob([]);
  }

  #fold(): void {
    // The Blob constructor copies the bytes, so the plaintext in the heap can be wiped at once.
    this.#blob = new Blob([this.#blob, ...this.#pieces], { type: 'application/octet-stream' });
    for (const piece of this.#pieces) piece.fill(0);
    this.#pieces = [];
    this.#pending = 0;
  }
}
