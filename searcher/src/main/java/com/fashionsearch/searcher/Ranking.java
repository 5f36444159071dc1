package com.fashionsearch.searcher;

import java.util.Comparator;

/**
 * The order of every result list: descending score, then ascending product id (numerically when
 * both ids are numbers, as the dataset's are). Stateless, thread-safe.
 */
final class Ranking {
  /** A candidate: a Lucene doc id within one reader, its product id and its score. */
  record Scored(int doc, String id, double score) {}

  static final Comparator<String> BY_ID = Ranking::compareIds;

  static final Comparator<Scored> ORDER =
      Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id, BY_ID);

  private Ranking() {}

  static int compareIds(String a, String b) {
    boolean na = isDigits(a);
    boolean nb = isDigits(b);
    if (na && nb) {
      int byLength = Integer.compare(stripZeros(a).length(), stripZeros(b).length());
      return byLength != 0 ? byLength : stripZeros(a).compareTo(stripZeros(b));
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
