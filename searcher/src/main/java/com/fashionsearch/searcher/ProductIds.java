package com.fashionsearch.searcher;

import java.util.Comparator;

/**
 * How product ids compare when scores tie, the same on every backend: numerically when both ids are
 * numbers (as the dataset's are; leading zeros ignored), numbers before other ids, else as strings.
 * Stateless, thread-safe.
 */
public final class ProductIds {
  /** Ascending product id, as {@link #compare}. */
  public static final Comparator<String> ORDER = ProductIds::compare;

  private ProductIds() {}

  /** Compares two product ids: see the class description. */
  public static int compare(String a, String b) {
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
