package com.fashionsearch.solr;

import java.util.Comparator;

/**
 * The order of every result list, as the local backend's: descending score, then ascending product
 * id (numerically when both ids are numbers). Stateless, thread-safe.
 */
final class ProductIdOrder {
  /** A candidate: product id, score and the stored document's values. */
  record Scored(String id, double score, org.apache.solr.common.SolrDocument doc) {}

  static final Comparator<String> BY_ID = ProductIdOrder::compareIds;

  static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id, BY_ID);

  private ProductIdOrder() {}

  static int compareIds(String a, String b) {
    boolean na = isDigits(a);
    boolean nb = isDigits(b);
    if (na && nb) {
      String sa = stripZeros(a);
      String sb = stripZeros(b);
      int byLength = Integer.compare(sa.length(), sb.length());
      return byLength != 0 ? byLength : sa.compareTo(sb);
    }
    if (na != nb) {
      return na ? -1 : 1;
    }
    return a.compareTo(b);
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static String stripZeros(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }
}
