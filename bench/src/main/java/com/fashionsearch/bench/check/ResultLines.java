package com.fashionsearch.bench.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine-readable lines of a saved benchmark output (what {@code fashion eval}, {@code fashion
 * bench query}, {@code bench learn}, {@code bench load} and {@code bench embed} print, as saved by
 * {@code | tee FILE}); every other line is ignored. Immutable and thread-safe.
 *
 * @param file the file's name, for messages
 * @param lines the result lines in file order
 */
public record ResultLines(String file, List<ResultLine> lines) {

  /** Copies the lines. */
  public ResultLines {
    lines = List.copyOf(lines);
  }

  /** Reads {@code file}; lines that are not {@code key=value} result lines are skipped. */
  public static ResultLines read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses the lines of a file called {@code fileName}. */
  public static ResultLines parse(List<String> text, String fileName) {
    List<ResultLine> lines = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      ResultLine line = ResultLine.parse(text.get(i), i + 1);
      if (line != null) {
        lines.add(line);
      }
    }
    return new ResultLines(fileName, lines);
  }

  /**
   * The last line that matches {@code selector} and has {@code key}, or null: a later run
   * supersedes.
   */
  public ResultLine last(ResultLine.Selector selector, String key) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      ResultLine line = lines.get(i);
      if (line.matches(selector) && line.pairs().containsKey(key)) {
        return line;
      }
    }
    return null;
  }
}
