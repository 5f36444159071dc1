package com.fashionsearch.server;

/**
 * An error with its HTTP status and a message naming the bad value; rendered by {@link ApiErrors}.
 */
public final class ApiException extends RuntimeException {
  private final int status;

  /**
   * @param status the HTTP status, 4xx or 5xx
   * @param message what was wrong, naming the offending value
   */
  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
