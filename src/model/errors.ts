// One error type for every refusal Rampart makes, on every front door. It carries the real
// service's code, message and HTTP status, the product's extra fields and any response headers;
// each front door's codec renders it in its own product's format (JSON/XML for the OpenAPI, OSS
// XML, plain text for the metadata service).

export class ApiError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Extra fields rendered beside Code/Message (e.g. AccessDeniedDetail). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Response headers the error carries (OSS's x-oss-next-append-position, say). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, message: string, httpStatus: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.extra = extra;
    this.headers = headers;
  }
}
