// One error type for every refusal Rampart makes. It carries the real service's code, message
// and HTTP status; each front door renders it in its own product's format.

export class ApiError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Extra fields rendered beside Code/Message (e.g. AccessDeniedDetail). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, httpStatus: number, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.extra = extra;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
