package com.fashionsearch.bench.check;

import java.util.Locale;

/**
 * How far a measured figure may lie from the expected one, either way: an absolute amount ({@code
 * 0.01}) or a share of the expected value ({@code 25%}). Immutable and thread-safe.
 *
 * @param amount the absolute amount, or the percentage when {@code relative}
 * @param relative whether {@code amount} is a percentage of the expected value
 */
public record Tolerance(double amount, boolean relative) {

  /** Checks the amount. */
  public Tolerance {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException(
          "a tolerance must be a finite number of at least 0, got: " + amount);
    }
  }

  /**
   * Parses {@code 0.01} (absolute) or {@code 25%} (relative to the expected value).
   *
   * @throws IllegalArgumentException if the text is neither
   */
  public static Tolerance parse(String text) {
    String t = text.strip();
    boolean relative = t.endsWith("%");
    String number = relative ? t.substring(0, t.length() - 1).strip() : t;
    double amount;
    try {
      amount = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "a tolerance must be a number (0.01) or a percentage (25%), got: '" + text + "'", e);
    }
    return new Tolerance(amount, relative);
  }

  /** The largest distance allowed from {@code expected}. */
  public double allowedDistance(double expected) {
    return relative ? Math.abs(expected) * amount / 100 : amount;
  }

  /** Whether {@code measured} lies within this tolerance of {@code expected}, bounds included. */
  public boolean accepts(double expected, double measured) {
    // a little slack for the decimal rounding of printed figures: 0.749 +- 0.01 accepts 0.739
    return Math.abs(measured - expected) <= allowedDistance(expected) * (1 + 1e-9) + 1e-12;
  }

  @Override
  public String toString() {
    return relative ? format(amount) + "%" : format(amount);
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : Double.toString(v);
  }
}
