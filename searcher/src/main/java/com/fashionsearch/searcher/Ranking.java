package com.fashionsearch.searcher;

import java.util.Comparator;

/**
 * The order of every result list: descending score, then ascending product id (numerically when
 * both ids are numbers, as the dataset's are). Stateless, thread-safe.
 */
final class Ranking {
  /** A candidate: a Lucene doc id within one reader, its product id and its score. */
  record Scored(int doc, String id, double score) {}

  static final Comparator<String> BY_ID = ProductIds.ORDER;

  static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id, BY_ID);

  private Ranking() {}
}
