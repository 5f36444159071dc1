package com.fashionsearch.searcher;

/**
 * Which page of results to return, and how to search. Immutable and thread-safe.
 *
 * @param k how many results, 1 to {@link #MAX_K}
 * @param offset how many of the best results to skip, 0 to {@link #MAX_OFFSET}
 * @param exact scan every (filtered) vector instead of walking the graph: slower, for verification
 */
public record SearchOptions(int k, int offset, boolean exact) {
  /** The largest k. */
  public static final int MAX_K = 100;

  /** The largest offset. */
  public static final int MAX_OFFSET = 1000;

  /** The default: the 10 best, approximate. */
  public static final SearchOptions DEFAULT = new SearchOptions(10, 0, false);

  public SearchOptions {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", got: " + k);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalArgumentException(
          "offset must be between 0 and " + MAX_OFFSET + ", got: " + offset);
    }
  }

  /** The first {@code k} results, approximate. */
  public static SearchOptions top(int k) {
    return new SearchOptions(k, 0, false);
  }

  /** The same page, searched exactly. */
  public SearchOptions exactly() {
    return new SearchOptions(k, offset, true);
  }
}
