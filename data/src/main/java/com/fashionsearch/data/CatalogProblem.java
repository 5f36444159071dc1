package com.fashionsearch.data;

/**
 * A quirk or fault met while reading a catalog, each with a short stable {@link #key()} for
 * counting and for messages. Problems marked recovered keep the row (repaired); the others are
 * reported.
 */
public enum CatalogProblem {
  /**
   * A display name carried unquoted commas (too many fields); the extra fields were joined back.
   */
  NAME_COMMAS_REJOINED("name-commas-rejoined"),
  /** A row had empty fields after the last column; they were dropped. */
  TRAILING_EMPTY_FIELDS("trailing-empty-fields"),
  /** A year that is neither {@code 2012} nor {@code 2012.0}; the attribute was left empty. */
  BAD_YEAR("bad-year"),
  /** A line that is not valid UTF-8; its bad bytes were replaced by U+FFFD. */
  INVALID_UTF8("invalid-utf8"),
  /** A quote opened and never closed; the line was split on commas with its quotes kept as text. */
  UNBALANCED_QUOTE("unbalanced-quote"),
  /** An id seen before; the later row replaced the earlier one. */
  DUPLICATE_ID("duplicate-id"),
  /**
   * A row whose {@code images/<id>.jpg} does not exist; the product was left out of the catalog.
   */
  MISSING_IMAGE("missing-image"),
  /** An image file in {@code images/} that no row names. */
  IMAGE_WITHOUT_ROW("image-without-row"),
  /** A row that could not be used (no id, a non-numeric id, too few fields) and was skipped. */
  UNRECOVERABLE_ROW("unrecoverable-row");

  private final String key;

  CatalogProblem(String key) {
    this.key = key;
  }

  /** The short stable key, e.g. {@code name-commas-rejoined}. */
  public String key() {
    return key;
  }
}
