package com.fashionsearch.bench.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the versioned file of expected figures: tab-separated, a header line naming the columns of
 * {@link ExpectedFigure#COLUMNS} in that order, then one figure per line; blank lines and lines
 * starting with {@code #} are skipped. A malformed line fails the whole read with a one-line
 * message naming the file and the line. Stateless and thread-safe.
 */
public final class ExpectedFigures {

  private ExpectedFigures() {}

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming {@code file:line} if the header or a line is malformed
   *     or a name repeats
   * @throws IOException if the file cannot be read
   */
  public static List<ExpectedFigure> read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses the lines of a file called {@code fileName} (for the messages). */
  public static List<ExpectedFigure> parse(List<String> lines, String fileName) {
    List<ExpectedFigure> figures = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean headerSeen = false;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      String where = fileName + ":" + (i + 1);
      if (text.isBlank() || text.startsWith("#")) {
        continue;
      }
      String[] cells = text.split("\t", -1);
      if (!headerSeen) {
        List<String> header = List.of(cells).stream().map(String::strip).toList();
        if (!header.equals(ExpectedFigure.COLUMNS)) {
          throw new IllegalArgumentException(
              where
                  + ": the header must be the tab-separated columns "
                  + String.join(",", ExpectedFigure.COLUMNS)
                  + ", got: "
                  + String.join(",", header));
        }
        headerSeen = true;
        continue;
      }
      if (cells.length != ExpectedFigure.COLUMNS.size()) {
        throw new IllegalArgumentException(
            where
                + ": expected "
                + ExpectedFigure.COLUMNS.size()
                + " tab-separated columns ("
                + String.join(",", ExpectedFigure.COLUMNS)
                + "), got "
                + cells.length);
      }
      ExpectedFigure figure;
      try {
        figure = figure(cells, where);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      if (!names.add(figure.name())) {
        throw new IllegalArgumentException(
            where + ": the figure name '" + figure.name() + "' appears twice");
      }
      figures.add(figure);
    }
    if (!headerSeen) {
      throw new IllegalArgumentException(
          fileName
              + ": no header line; the first line must be the tab-separated columns "
              + String.join(",", ExpectedFigure.COLUMNS));
    }
    return List.copyOf(figures);
  }

  private static ExpectedFigure figure(String[] cells, String where) {
    String name = cells[0].strip();
    if (name.isEmpty() || name.contains(" ")) {
      throw new IllegalArgumentException("the name must be one word, got: '" + cells[0] + "'");
    }
    ResultLine.Selector line = ResultLine.Selector.parse(cells[1]);
    String key = cells[2].strip();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the key of figure '" + name + "' is empty");
    }
    double value;
    try {
      value = Double.parseDouble(cells[3].strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the value of figure '" + name + "' is not a number: '" + cells[3] + "'", e);
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "the value of figure '" + name + "' must be finite, got: " + cells[3]);
    }
    Tolerance tolerance = Tolerance.parse(cells[4]);
    return new ExpectedFigure(
        name,
        line,
        key,
        value,
        tolerance,
        cells[5].strip(),
        cells[6].strip(),
        cells[7].strip(),
        where);
  }
}
