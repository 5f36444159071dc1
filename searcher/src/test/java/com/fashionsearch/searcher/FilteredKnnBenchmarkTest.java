package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilteredKnnBenchmarkTest {
  @TempDir Path dir;

  @Test
  void smallRunPrintsALinePerStrategyAndFilterWithHighRecallAndWritesFvecs() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<FilteredKnnBenchmark.NamedFilter> filters =
        List.of(FilteredKnnBenchmark.parseFilter("none"), FilteredKnnBenchmark.parseFilter("masterCategory=Footwear"),
            FilteredKnnBenchmark.parseFilter("gender=Women,masterCategory=Apparel,yearFrom=2011"));
    List<FilteredKnnBenchmark.Strategy> strategies =
        List.of(FilteredKnnBenchmark.parseStrategy("k100=100,60,0"), FilteredKnnBenchmark.parseStrategy("exact=100,60,100000"));
    FilteredKnnBenchmark.Report report =
        new FilteredKnnBenchmark(600, 16, 20, 2, 7, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()))
            .run(dir, filters, strategies);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(6, printed.lines().filter(l -> l.startsWith("query strategy=")).count(), printed);
    for (FilteredKnnBenchmark.Measurement m : report.measurements()) {
      assertTrue(m.recall() >= 0.95, m.toString());
      assertTrue(m.matching() > 0 && m.selectivity() <= 1.0, m.toString());
    }
    assertEquals(1.0, report.measurements().get(3).recall(), 1e-9, "an exact scan finds the exact top 10");
    assertEquals(600L * (4 + 4 * 16), Files.size(report.dataDir().resolve("base.fvecs")));
    assertEquals(20L * (4 + 4 * 16), Files.size(report.dataDir().resolve("queries.fvecs")));
  }
}
