package com.fashionsearch.searcher;

/**
 * A query named a product id the index does not hold: bad input, as any {@link
 * IllegalArgumentException}.
 */
public final class UnknownProductException extends IllegalArgumentException {
  private final String id;

  /**
   * @param id the unknown id
   */
  public UnknownProductException(String id) {
    super("unknown product id: " + id);
    this.id = id;
  }

  /** The id that was not found. */
  public String id() {
    return id;
  }
}
