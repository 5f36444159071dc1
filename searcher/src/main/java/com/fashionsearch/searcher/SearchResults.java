package com.fashionsearch.searcher;

import java.util.List;

/**
 * A page of results and the index they came from. Immutable and thread-safe.
 *
 * @param hits the results, best first, equal scores by ascending id
 * @param index the index generation that answered
 */
public record SearchResults(List<SearchHit> hits, IndexInfo index) {
  public SearchResults {
    hits = List.copyOf(hits);
  }
}
