package com.fashionsearch.models;

/**
 * An image that cannot be used: not an image, truncated, corrupt, or refused (a decompression
 * bomb).
 */
public class ImageRejectedException extends Exception {
  private final String reason;

  /**
   * @param reason a short, stable reason usable as a count key: {@code not-an-image}, {@code
   *     corrupt}, {@code too-large}, ...
   * @param message what was wrong, naming the offending value
   */
  public ImageRejectedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageRejectedException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The short reason, for counting skipped images by reason. */
  public String reason() {
    return reason;
  }
}
