package com.fashionsearch.server;

/**
 * No room for this upload now: more image work was sent than the upload budget takes at once.
 * Rendered by {@link ApiErrors} as 429 Too Many Requests with a {@code Retry-After} header: the
 * refusal answers what clients sent (a flood of uploads), and the server itself stays healthy, so
 * it is not a 5xx. Immutable.
 */
final class ServerBusyException extends RuntimeException {
  private final long retryAfterSeconds;

  ServerBusyException(String message, long retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Seconds after which a retry may succeed. */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
