/** An error the API answers with a 4xx/5xx JSON body `{ success: false, error, code, field? }`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The JSON body of an error answer. */
export function errorBody(error: ApiError): Record<string, unknown> {
  return {
    success: false,
    error: error.message,
    code: error.code,
    ...(error.field ? { field: error.field } : {}),
  };
}
