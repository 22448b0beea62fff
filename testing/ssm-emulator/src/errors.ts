/**
 * An error the emulated service answers with: HTTP 400 and `{"__type": code, "message": …}`, the
 * AWS JSON 1.1 error shape the SDK turns into an exception whose `name` is the code.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidParameters = (message: string) => new ServiceError('InvalidParameters', message);
export const validation = (message: string) => new ServiceError('ValidationException', message);
