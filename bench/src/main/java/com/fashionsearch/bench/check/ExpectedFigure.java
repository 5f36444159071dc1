package com.fashionsearch.bench.check;

import java.util.List;
import java.util.Map;

/**
 * One expected figure of a release: which result line and key carry it, its value and tolerance,
 * the command that produces it and the BENCHMARKS.md section it comes from. Immutable.
 *
 * @param name a stable name, e.g. {@code quality.v1.loo.p10-articleType}
 * @param line the result line that carries it: its first word, then {@code key=value} pairs it must
 *     have, e.g. {@code ratio strategy=default filter=gender=Women}
 * @param key the key of the figure on that line, e.g. {@code speedup}
 * @param value the expected value
 * @param tolerance how far a measurement may lie from it, either way
 * @param unit the unit, empty for none; a printed value may carry it as a suffix ({@code 120x})
 * @param command the command whose output holds the line
 * @param section the BENCHMARKS.md section the figure comes from
 * @param source where the figure was read: {@code file:line}
 */
public record ExpectedFigure(
    String name,
    ResultLine.Selector line,
    String key,
    double value,
    Tolerance tolerance,
    String unit,
    String command,
    String section,
    String source) {

  /** The columns of the file, in order. */
  public static final List<String> COLUMNS =
      List.of("name", "line", "key", "value", "tolerance", "unit", "command", "section");

  /** Whether {@code measured} is within the tolerance of the expected value. */
  public boolean accepts(double measured) {
    return tolerance.accepts(value, measured);
  }

  /** The pairs the result line must have. */
  public Map<String, String> conditions() {
    return line.conditions();
  }
}
