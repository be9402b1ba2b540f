// The one place the dashboard talks to the server: bearer token on every request, JSON in and
// out, and every failure turned into an ApiError whose kind the pages can explain to a person.

export type FailureKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'not_found' | 'other';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get kind(): FailureKind {
    if (this.status === 0) return 'unreachable';
    if (this.status === 401) return 'unauthorized';
    if (this.status === 403) return 'forbidden';
    if (this.status === 404) return 'not_found';
    return 'other';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export class Api {
  // Called on any 401 so the shell can replace the page with the sign-in screen.
  onUnauthorized: (error: ApiError) => void = () => {};

  constructor(private readonly token: string) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'The securescore server cannot be reached.');
    }
    const text = await response.text();
    let data: unknown = undefined;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }
    if (!response.ok) {
      const detail = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
      const error = new ApiError(
        response.status,
        detail?.code ?? String(response.status),
        detail?.message ?? (response.statusText || `HTTP ${response.status}`),
      );
      if (error.kind === 'unauthorized') this.onUnauthorized(error);
      throw error;
    }
    return data as T;
  }
}
