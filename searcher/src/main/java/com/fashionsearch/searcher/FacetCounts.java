package com.fashionsearch.searcher;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Value counts per attribute over a filtered set. Immutable and thread-safe.
 *
 * @param matching how many products the filters match
 * @param counts per attribute (in {@code styles.csv} order), value to count, most frequent first
 *     and equal counts by value
 */
public record FacetCounts(long matching, Map<String, Map<String, Long>> counts) {
  public FacetCounts {
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    counts.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    counts = Collections.unmodifiableMap(copy);
  }
}
