package com.fashionsearch.searcher;

import java.time.Duration;
import java.util.Objects;

/**
 * How query images share the network: up to {@code maxImages} images that arrive together run
 * through one batched forward pass, the first of them waiting at most {@code maxWait} for the
 * others. {@link #NONE} (one image per pass, no wait) is the default. Immutable; thread-safe.
 *
 * @param maxImages the most images of one forward pass, at least 1 (1: no batching)
 * @param maxWait how long the first image of a batch waits for more, between 0 and 1 s
 */
public record QueryBatching(int maxImages, Duration maxWait) {
  /** One image per forward pass, in arrival order. */
  public static final QueryBatching NONE = new QueryBatching(1, Duration.ZERO);

  public QueryBatching {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxImages < 1 || maxImages > 64) {
      throw new IllegalArgumentException("maxImages must be between 1 and 64, got: " + maxImages);
    }
    if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("maxWait must be between 0 and 1 s, got: " + maxWait);
    }
  }

  /** Whether images are batched at all. */
  public boolean enabled() {
    return maxImages > 1;
  }
}
