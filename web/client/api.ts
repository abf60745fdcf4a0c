// A small fetch wrapper for the Parley API: JSON in, JSON out, errors as ApiRequestError
// carrying the server's error code. Works in the browser, Node and workerd.

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From Retry-After, when the server says when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Sent as the exact bytes given, so a signature over them stays valid. */
  bodyBytes?: Uint8Array;
  headers?: Record<string, string>;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
    /** This device's clock (tests give the test's): sent at sign-in so a wrong clock is named. */
    readonly clock: () => number = Date.now,
  ) {}

  async request<T>(req: ApiRequest): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.bodyBytes) headers['content-type'] = 'application/json';
    const response = await this.fetchImpl(this.baseUrl + req.path, {
      method: req.method,
      headers,
      body: req.bodyBytes ? (req.bodyBytes as Uint8Array<ArrayBuffer>) : null,
      // No credentials and no referrer: nothing ambient leaves with the request.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
    if (response.status === 204) return undefined as T;
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new ApiRequestError(response.status, error?.code ?? 'unknown', error?.message ?? `HTTP ${response.status}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    return payload as T;
  }

  json<T>(method: ApiRequest['method'], path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const req: ApiRequest = { method, path };
    if (body !== undefined) req.bodyBytes = new TextEncoder().encode(JSON.stringify(body));
    if (headers) req.headers = headers;
    return this.request<T>(req);
  }
}
