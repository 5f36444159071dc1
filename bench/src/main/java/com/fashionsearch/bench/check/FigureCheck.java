package com.fashionsearch.bench.check;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares measured results with the expected figures: per figure the measured value, the expected
 * one, the tolerance and PASS, FAIL or MISSING (no result line carries it, or its value is not a
 * number in the figure's unit). Stateless and thread-safe.
 */
public final class FigureCheck {

  /** A number, then an optional unit suffix: {@code 0.749}, {@code 127x}, {@code 12.5%}. */
  private static final Pattern VALUE =
      Pattern.compile("([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)(\\S*)");

  private FigureCheck() {}

  /** What one figure gave. */
  public enum Status {
    /** Within the tolerance. */
    PASS,
    /** Measured outside the tolerance. */
    FAIL,
    /** Not found in the results, or not readable as a number. */
    MISSING
  }

  /**
   * The outcome for one figure.
   *
   * @param figure the expected figure
   * @param status PASS, FAIL or MISSING
   * @param measured the measured value, NaN when missing
   * @param detail where it was read ({@code file:line}), or why it is missing
   */
  public record Outcome(ExpectedFigure figure, Status status, double measured, String detail) {}

  /** Checks every figure against {@code results}, in the order of {@code figures}. */
  public static List<Outcome> check(List<ExpectedFigure> figures, ResultLines results) {
    List<Outcome> outcomes = new ArrayList<>();
    for (ExpectedFigure f : figures) {
      outcomes.add(check(f, results));
    }
    return List.copyOf(outcomes);
  }

  private static Outcome check(ExpectedFigure f, ResultLines results) {
    ResultLine line = results.last(f.line(), f.key());
    if (line == null) {
      return new Outcome(
          f,
          Status.MISSING,
          Double.NaN,
          "no line '"
              + f.line()
              + " ... "
              + f.key()
              + "=..' in "
              + results.file()
              + " (run: "
              + f.command()
              + ")");
    }
    String raw = line.pairs().get(f.key());
    String where = results.file() + ":" + line.number();
    Matcher m = VALUE.matcher(raw);
    if (!m.matches() || !(m.group(2).isEmpty() || m.group(2).equals(f.unit()))) {
      return new Outcome(
          f,
          Status.MISSING,
          Double.NaN,
          where
              + ": "
              + f.key()
              + "="
              + raw
              + " is not a number"
              + (f.unit().isEmpty() ? "" : " in " + f.unit()));
    }
    double measured = Double.parseDouble(m.group(1));
    return new Outcome(f, f.accepts(measured) ? Status.PASS : Status.FAIL, measured, where);
  }

  /** Whether every outcome passed. */
  public static boolean allPass(List<Outcome> outcomes) {
    return outcomes.stream().allMatch(o -> o.status() == Status.PASS);
  }

  /**
   * Prints one line per figure, then a summary line {@code check figures=.. pass=.. fail=..
   * missing=..}.
   */
  public static void print(List<Outcome> outcomes, PrintWriter out) {
    int width =
        Math.max(6, outcomes.stream().mapToInt(o -> o.figure().name().length()).max().orElse(6));
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %10s %10s %12s  %-7s  %s%n",
        "figure",
        "measured",
        "expected",
        "tolerance",
        "result",
        "where");
    int[] counts = new int[Status.values().length];
    for (Outcome o : outcomes) {
      ExpectedFigure f = o.figure();
      counts[o.status().ordinal()]++;
      out.printf(
          Locale.ROOT,
          "%-" + width + "s %10s %10s %12s  %-7s  %s%n",
          f.name(),
          Double.isNaN(o.measured()) ? "-" : number(o.measured()) + f.unit(),
          number(f.value()) + f.unit(),
          "+-" + f.tolerance(),
          o.status(),
          o.detail());
    }
    out.printf(
        Locale.ROOT,
        "check figures=%d pass=%d fail=%d missing=%d%n",
        outcomes.size(),
        counts[Status.PASS.ordinal()],
        counts[Status.FAIL.ordinal()],
        counts[Status.MISSING.ordinal()]);
    out.flush();
  }

  private static String number(double v) {
    return new BigDecimal(String.format(Locale.ROOT, "%.4g", v))
        .stripTrailingZeros()
        .toPlainString();
  }
}
