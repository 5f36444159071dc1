package com.fashionsearch.data;

/**
 * A catalog that cannot be read: {@code styles.csv} missing or unreadable, a header without the
 * required columns, or (in strict mode) the first problem met. The message names the file, the line
 * where there is one, and the reason.
 */
public class CatalogException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
