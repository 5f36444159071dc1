package com.fashionsearch.server.cli;

import com.fashionsearch.bench.FilteredKnnBenchmark.Measurement;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FAISS peer of {@code fashion bench query}: {@code ../shared/bench/faiss_knn.py}, run on the
 * benchmark's {@code .fvecs} under the benchmark's own filters. Each filter goes to the script as
 * the row numbers of {@code base.fvecs} it matches ({@code --filters FILE}, a line {@code NAME ROW
 * ROW ...}); the script answers every filter by exact search under an id selector ({@code
 * faiss-flat}) and by HNSW under the same selector with {@code efSearch} raised until its recall
 * reaches the target ({@code faiss-hnsw}), and prints a line per filter and method. Stateless; its
 * methods are thread-safe.
 */
final class FaissPeer {
  /**
   * A line of the script: {@code faiss-flat|faiss-hnsw filter=NAME matches=N [ef=E] recall=R
   * p50_ms=X p99_ms=Y}.
   */
  record Line(
      String method, String filter, int matches, double recall, double p50Ms, double p99Ms) {}

  /** The fastest of a filter's methods that reached the recall asked for. */
  record Best(String method, double recall, double p50Ms) {}

  private static final Pattern LINE =
      Pattern.compile(
          "^faiss-(flat|hnsw) filter=(\\S+) matches=(\\d+)(?: ef=\\d+)? recall=([0-9.]+)"
              + " p50_ms=([0-9.]+) p99_ms=([0-9.]+)\\s*$");

  private FaissPeer() {}

  /**
   * Writes the filters as the script's {@code --filters} reads them: one line per filter, its name,
   * then its rows, separated by spaces.
   *
   * @throws IllegalArgumentException for a name that is empty or holds white space (the script
   *     splits lines on it), or a filter without rows
   */
  static void writeFilters(Path file, Map<String, int[]> rowsByFilter) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, int[]> e : rowsByFilter.entrySet()) {
        String name = e.getKey();
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
          throw new IllegalArgumentException(
              "a filter name for the FAISS peer must be non-empty without white space, got: '"
                  + name
                  + "'");
        }
        if (e.getValue().length == 0) {
          throw new IllegalArgumentException(
              "filter " + name + " matches no product: the FAISS peer cannot search it");
        }
        w.write(name);
        for (int row : e.getValue()) {
          w.write(' ');
          w.write(Integer.toString(row));
        }
        w.write('\n');
      }
    }
  }

  /** The line's measurement, or empty for any other line (the index build's, for one). */
  static Optional<Line> parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Line(
            m.group(1),
            m.group(2),
            Integer.parseInt(m.group(3)),
            Double.parseDouble(m.group(4)),
            Double.parseDouble(m.group(5)),
            Double.parseDouble(m.group(6))));
  }

  /**
   * Per filter (in the order first seen), the method with the lowest p50 among those at {@code
   * minRecall} or more; a filter none of whose methods got there is left out.
   */
  static Map<String, Best> best(List<Line> lines, double minRecall) {
    Map<String, Best> best = new LinkedHashMap<>();
    for (Line l : lines) {
      if (l.recall() + 1e-9 < minRecall) {
        continue;
      }
      Best b = best.get(l.filter());
      if (b == null || l.p50Ms() < b.p50Ms()) {
        best.put(l.filter(), new Best(l.method(), l.recall(), l.p50Ms()));
      }
    }
    return best;
  }

  /**
   * The line comparing one of the product's measurements with FAISS's best method under the same
   * filter ({@code best} null: none reached the recall): {@code vs-faiss filter=.. selectivity=..
   * recall@10=.. p50_ms=.. faiss_p50_ms=.. faiss_method=hnsw|flat faiss_recall=.. ratio=..
   * items_p50_ms=.. items_ratio=.. strategy=..}. As FAISS returns ids and scores, {@code p50_ms} is
   * the product's for ids and scores ({@code nearestIds}; the full query's when the searcher has
   * none) and {@code ratio} is FAISS's p50 over it (above 1: the product is faster); {@code
   * items_p50_ms} is the full query's, which also loads the 10 products' catalog entries, and
   * {@code items_ratio} FAISS's over that.
   */
  static String versus(Measurement m, Best best) {
    double ours = Double.isNaN(m.idsP50Ms()) ? m.p50Ms() : m.idsP50Ms();
    String line =
        String.format(
            Locale.ROOT,
            "vs-faiss filter=%s selectivity=%.4f recall@10=%.3f p50_ms=%.3f",
            m.filter(),
            m.selectivity(),
            m.recall(),
            ours);
    if (best == null) {
      return line
          + String.format(
              Locale.ROOT,
              " faiss_p50_ms=none faiss_method=none faiss_recall=none ratio=none items_p50_ms=%.3f"
                  + " items_ratio=none strategy=%s",
              m.p50Ms(),
              m.strategy());
    }
    return line
        + String.format(
            Locale.ROOT,
            " faiss_p50_ms=%.3f faiss_method=%s faiss_recall=%.3f ratio=%.2f items_p50_ms=%.3f"
                + " items_ratio=%.2f strategy=%s",
            best.p50Ms(),
            best.method(),
            best.recall(),
            best.p50Ms() / ours,
            m.p50Ms(),
            best.p50Ms() / m.p50Ms(),
            m.strategy());
  }

  /**
   * Runs {@code script} with {@code python} on the vectors and filters, echoing each of its lines
   * to {@code echo} as it comes (with its error output passed through), and returns the
   * measurements.
   *
   * @param indexCache where the script keeps its HNSW index between runs (its build takes minutes)
   * @throws IllegalStateException when the script exits with an error
   */
  static List<Line> run(
      String python,
      Path script,
      Path base,
      Path queries,
      Path filters,
      Path indexCache,
      double recall,
      PrintStream echo)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            python,
            script.toString(),
            base.toString(),
            queries.toString(),
            "--k",
            "10",
            "--filters",
            filters.toString(),
            "--recall",
            Double.toString(recall),
            "--index-cache",
            indexCache.toString());
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<Line> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        echo.println("peer " + line);
        echo.flush();
        parse(line).ifPresent(lines::add);
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(
          "the FAISS peer " + String.join(" ", command) + " exited with " + code);
    }
    return lines;
  }
}
