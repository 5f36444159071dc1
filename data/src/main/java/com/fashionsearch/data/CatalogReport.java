package com.fashionsearch.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link CatalogReader} met while reading a catalog: rows read, problems counted by reason,
 * the ids without an image, the images without a row, and every problem with its line. Immutable
 * and thread-safe.
 */
public final class CatalogReport {
  /** How many ids or files {@link #summaryLines()} lists before "and N more". */
  public static final int SUMMARY_LIST_LIMIT = 20;

  /**
   * One problem met.
   *
   * @param line the line of {@code styles.csv} (the header is line 1), 0 for problems of {@code
   *     images/} that belong to no line
   * @param problem what kind of problem
   * @param detail what exactly, naming the offending value
   */
  public record Issue(long line, CatalogProblem problem, String detail) {
    /** One line: {@code line 12: bad-year: 'abc'}, or without the line part for line 0. */
    public String describe() {
      return (line > 0 ? "line " + line + ": " : "") + problem.key() + ": " + detail;
    }
  }

  private final long rowsRead;
  private final Map<CatalogProblem, Integer> counts;
  private final List<Issue> issues;
  private final List<String> missingImageIds;
  private final List<String> orphanImages;

  CatalogReport(
      long rowsRead, List<Issue> issues, List<String> missingImageIds, List<String> orphanImages) {
    this.rowsRead = rowsRead;
    this.issues = List.copyOf(issues);
    this.missingImageIds = List.copyOf(missingImageIds);
    this.orphanImages = List.copyOf(orphanImages);
    EnumMap<CatalogProblem, Integer> c = new EnumMap<>(CatalogProblem.class);
    for (CatalogProblem p : CatalogProblem.values()) {
      c.put(p, 0);
    }
    for (Issue issue : this.issues) {
      c.merge(issue.problem(), 1, Integer::sum);
    }
    this.counts = Collections.unmodifiableMap(c);
  }

  /** The data rows read from {@code styles.csv} (blank lines and the header not counted). */
  public long rowsRead() {
    return rowsRead;
  }

  /** The count of each problem; every {@link CatalogProblem} is a key, 0 when never met. */
  public Map<CatalogProblem, Integer> counts() {
    return counts;
  }

  /** The count of one problem. */
  public int count(CatalogProblem problem) {
    return counts.get(problem);
  }

  /** The total of all problems met; 0 for a clean catalog. */
  public int problemCount() {
    return issues.size();
  }

  /** Every problem met, in the order met (rows in file order, then images). */
  public List<Issue> issues() {
    return issues;
  }

  /** The rows skipped as {@link CatalogProblem#UNRECOVERABLE_ROW}, with their lines and reasons. */
  public List<Issue> skippedRows() {
    return issues.stream().filter(i -> i.problem() == CatalogProblem.UNRECOVERABLE_ROW).toList();
  }

  /** The ids whose {@code images/<id>.jpg} does not exist, in file order. */
  public List<String> missingImageIds() {
    return missingImageIds;
  }

  /** The file names in {@code images/} that no row names, sorted. */
  public List<String> orphanImages() {
    return orphanImages;
  }

  /**
   * A human-readable end-of-run summary: rows read, the count of each problem met, the skipped
   * rows, the ids without an image and the images without a row (each list capped at {@value
   * #SUMMARY_LIST_LIMIT} with "and N more").
   */
  public List<String> summaryLines() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "rows read: " + rowsRead + ", problems: " + (issues.isEmpty() ? "none" : issues.size()));
    for (Map.Entry<CatalogProblem, Integer> e : counts.entrySet()) {
      if (e.getValue() > 0) {
        lines.add("  " + e.getKey().key() + ": " + e.getValue());
      }
    }
    List<String> skipped = skippedRows().stream().map(Issue::describe).toList();
    addList(lines, "skipped rows", skipped);
    addList(lines, "ids without an image", missingImageIds);
    addList(lines, "images without a row", orphanImages);
    return lines;
  }

  private static void addList(List<String> lines, String title, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    lines.add(title + " (" + items.size() + "):");
    int shown = Math.min(items.size(), SUMMARY_LIST_LIMIT);
    for (int i = 0; i < shown; i++) {
      lines.add("  " + items.get(i));
    }
    if (items.size() > shown) {
      lines.add("  and " + (items.size() - shown) + " more");
    }
  }

  @Override
  public String toString() {
    return String.join("\n", summaryLines());
  }
}
