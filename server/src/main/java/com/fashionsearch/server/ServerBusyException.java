package com.fashionsearch.server;

/**
 * The server has no room for this request now (503): rendered by {@link ApiErrors} with a {@code
 * Retry-After} header. Immutable.
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
