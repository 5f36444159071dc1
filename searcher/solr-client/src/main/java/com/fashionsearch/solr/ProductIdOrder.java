package com.fashionsearch.solr;

import com.fashionsearch.searcher.ProductIds;
import java.util.Comparator;

/**
 * The order of every result list, as the local backend's: descending score, then ascending product
 * id (numerically when both ids are numbers). Stateless, thread-safe.
 */
final class ProductIdOrder {
  /** A candidate: product id, score and the stored document's values. */
  record Scored(String id, double score, org.apache.solr.common.SolrDocument doc) {}

  static final Comparator<String> BY_ID = ProductIds.ORDER;

  static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id, BY_ID);

  private ProductIdOrder() {}
}
