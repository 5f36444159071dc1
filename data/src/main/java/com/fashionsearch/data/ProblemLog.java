package com.fashionsearch.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one read; in strict mode the first one becomes a {@link
 * CatalogException} naming file, line and reason. Not thread-safe: one per read.
 */
final class ProblemLog {
  private final Path styles;
  private final boolean strict;
  private final List<CatalogReport.Issue> issues = new ArrayList<>();

  ProblemLog(Path styles, boolean strict) {
    this.styles = styles;
    this.strict = strict;
  }

  /** A problem of {@code styles.csv} at {@code line}. */
  void row(long line, CatalogProblem problem, String detail) {
    if (strict) {
      throw new CatalogException(
          styles + " line " + line + ": " + problem.key() + ": " + detail + " (strict mode)");
    }
    issues.add(new CatalogReport.Issue(line, problem, detail));
  }

  /** A problem of a file in {@code images/}, which has no line. */
  void file(Path file, CatalogProblem problem, String detail) {
    if (strict) {
      throw new CatalogException(file + ": " + problem.key() + ": " + detail + " (strict mode)");
    }
    issues.add(new CatalogReport.Issue(0, problem, detail));
  }

  List<CatalogReport.Issue> issues() {
    return issues;
  }
}
