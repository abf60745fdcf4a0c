// A typed call channel between a page and its engine (a Web Worker that holds the keys and
// does the cryptography, so the page never freezes and page code never touches a key).
// Errors cross the boundary as { name, kind/code, message } and are rebuilt on the page side.

export type EngineApi = Record<string, (...args: never[]) => Promise<unknown>>;

type Request = { id: number; method: string; args: unknown[] };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: EngineError };
/** Sent by the engine unasked, e.g. how far a long step has got: the page cannot ask, as the step may hold the engine's thread. */
type Notice = { notice: unknown };

export interface EngineError {
  name: string;
  /** ProtocolError kind, or API error code. */
  code: string;
  message: string;
}

export class EngineCallError extends Error implements EngineError {
  constructor(
    readonly code: string,
    message: string,
    override readonly name: string,
  ) {
    super(message);
  }
}

/** Page side: `const engine = connectEngine<ReporterEngine>(new Worker(url))`. */
export function connectEngine<Api extends EngineApi>(worker: Worker): { [K in keyof Api]: (...args: Parameters<Api[K]>) => ReturnType<Api[K]> } & { terminate(): void; onNotice(listener: (notice: unknown) => void): () => void } {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(notice: unknown) => void>();
  worker.addEventListener('message', (event: MessageEvent<Reply | Notice>) => {
    if ('notice' in event.data) {
      for (const listener of listeners) listener(event.data.notice);
      return;
    }
    const reply = event.data;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new EngineCallError(reply.error.code, reply.error.message, reply.error.name));
  });
  return new Proxy({} as never, {
    get(_target, method: string) {
      if (method === 'terminate') return () => worker.terminate();
      if (method === 'onNotice') {
        return (listener: (notice: unknown) => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        };
      }
      return (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          worker.postMessage({ id, method, args } satisfies Request);
        });
    },
  });
}

/** Worker side: answer calls with the given handlers. */
export function serveEngine(handlers: EngineApi): void {
  const scope = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(m: Reply): void };
  scope.onmessage = async (event) => {
    const { id, method, args } = event.data;
    const handler = handlers[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    try {
      if (!handler) throw new Error(`no such engine method: ${method}`);
      scope.postMessage({ id, ok: true, value: await handler(...args) });
    } catch (error) {
      const e = error as { name?: string; kind?: string; code?: string; message?: string };
      scope.postMessage({ id, ok: false, error: { name: e.name ?? 'Error', code: e.kind ?? e.code ?? 'error', message: e.message ?? String(error) } });
    }
  };
}

/** Worker side: tells the page something unasked (see Notice). */
export function notifyPage(notice: unknown): void {
  (self as unknown as { postMessage(m: Notice): void }).postMessage({ notice });
}
