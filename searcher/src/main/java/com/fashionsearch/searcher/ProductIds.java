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

  /**
   * Whether a result list an engine cut at {@code asked} (breaking ties its own way, by document or
   * by string id) may have left out products tied with the page's last one, which this order could
   * put on the page: true when the engine returned all it was asked for and its lowest score equals
   * the score at the page's end. The caller then asks again, deeper.
   *
   * @param returned how many results the engine returned
   * @param asked how many it was asked for
   * @param lowest the lowest score returned
   * @param atPageEnd the score of the page's last result ({@code offset + k - 1} in this order)
   */
  public static boolean mayCutATie(int returned, int asked, double lowest, double atPageEnd) {
    return returned >= asked && lowest == atPageEnd;
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
