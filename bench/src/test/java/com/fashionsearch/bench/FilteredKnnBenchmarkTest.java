package com.fashionsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.searcher.KnnTuning;
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
        List.of(
            FilteredKnnBenchmark.parseFilter("none"),
            FilteredKnnBenchmark.parseFilter("masterCategory=Footwear"),
            FilteredKnnBenchmark.parseFilter("gender=Women,masterCategory=Apparel,yearFrom=2011"));
    List<FilteredKnnBenchmark.Strategy> strategies =
        List.of(
            FilteredKnnBenchmark.parseStrategy("k100=100,60,0"),
            FilteredKnnBenchmark.parseStrategy("exact=100,60,100000"));
    FilteredKnnBenchmark.Report report =
        new FilteredKnnBenchmark(
                600,
                16,
                20,
                2,
                7,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()))
            .run(dir, filters, strategies);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(6, printed.lines().filter(l -> l.startsWith("query strategy=")).count(), printed);
    for (FilteredKnnBenchmark.Measurement m : report.measurements()) {
      assertTrue(m.recall() >= 0.95, m.toString());
      assertTrue(m.matching() > 0 && m.selectivity() <= 1.0, m.toString());
      assertTrue(m.idsP50Ms() > 0, "the ids-only query is timed too: " + m);
    }
    assertEquals(
        1.0, report.measurements().get(3).recall(), 1e-9, "an exact scan finds the exact top 10");
    // each filter's rows, for a peer: ascending, as many as the line counted, all of them for none
    assertEquals(
        List.of(
            "none", "masterCategory=Footwear", "gender=Women,masterCategory=Apparel,yearFrom=2011"),
        List.copyOf(report.matchingRows().keySet()));
    assertEquals(600, report.matchingRows().get("none").length);
    assertEquals(599, report.matchingRows().get("none")[599]);
    for (int f = 1; f < 3; f++) {
      int[] rows = report.matchingRows().get(filters.get(f).name());
      assertEquals(report.measurements().get(f).matching(), rows.length, filters.get(f).name());
      assertTrue(rows.length < 600, filters.get(f).name() + " matches fewer products than none");
      for (int i = 1; i < rows.length; i++) {
        assertTrue(rows[i - 1] < rows[i], "ascending rows of " + filters.get(f).name());
      }
    }
    assertEquals(600L * (4 + 4 * 16), Files.size(report.dataDir().resolve("base.fvecs")));
    assertEquals(20L * (4 + 4 * 16), Files.size(report.dataDir().resolve("queries.fvecs")));
  }

  @Test
  void aQuantizedIndexIsRescoredWithItsRawFloats() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<FilteredKnnBenchmark.NamedFilter> filters =
        List.of(
            FilteredKnnBenchmark.parseFilter("none"),
            FilteredKnnBenchmark.parseFilter("masterCategory=Apparel"));
    List<FilteredKnnBenchmark.Strategy> strategies =
        List.of(
            FilteredKnnBenchmark.parseStrategy("graph-k10=10,0,0,1,0"),
            FilteredKnnBenchmark.parseStrategy("graph-k200=200,0,0,1,0"),
            // 10 x 60 candidates cover all 600 products: after rescoring a scan must be exact (a
            // query
            // without a filter walks the graph)
            FilteredKnnBenchmark.parseStrategy("scan-x60=10,0,0,60,100"));
    FilteredKnnBenchmark.Report report =
        new FilteredKnnBenchmark(
                600,
                64,
                20,
                2,
                7,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()))
            .indexOptions(new VectorIndexOptions(16, 100, VectorIndexOptions.Quantization.BBQ))
            .run(dir, filters, strategies);
    List<FilteredKnnBenchmark.Measurement> m = report.measurements();
    assertEquals(6, m.size());
    assertEquals(1.0, m.get(5).recall(), 1e-9, m.get(5).toString());
    for (int f = 0; f < 2; f++) {
      assertTrue(m.get(2 + f).recall() >= 0.95, m.get(2 + f).toString());
      assertTrue(m.get(2 + f).recall() >= m.get(f).recall(), m.get(2 + f) + " vs " + m.get(f));
    }
    assertTrue(
        Files.isDirectory(report.dataDir().resolve("index-m16-beam100-bbq")),
        "a quantized index has its own folder");
  }

  @Test
  void strategiesParseWithOrWithoutOversampleScanBlocksAndPatienceAndRejectBadOnes() {
    assertEquals(
        new KnnTuning(100, 0, 0, 1, 0, 0, 0, 0),
        FilteredKnnBenchmark.parseStrategy("a=100,0,0").tuning());
    assertEquals(
        new KnnTuning(50, 0, 9000, 8, 30, 0, 0, 0),
        FilteredKnnBenchmark.parseStrategy("b=50,0,9000,8,30").tuning());
    assertEquals(
        new KnnTuning(150, 0, 0, 1, 30, 45, 0, 0),
        FilteredKnnBenchmark.parseStrategy("f=150,0,0,1,30,45").tuning());
    assertEquals(
        new KnnTuning(150, 0, 0, 1, 30, 45, 20, 0),
        FilteredKnnBenchmark.parseStrategy("g=150,0,0,1,30,45,20").tuning());
    assertEquals(
        KnnTuning.DEFAULT,
        FilteredKnnBenchmark.parseStrategy("h=150,0,0,1,30,45,20,1000").tuning());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FilteredKnnBenchmark.parseStrategy("c=50,0,x"));
    assertTrue(e.getMessage().contains("c=50,0,x"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("d=50,0,0,0,10"));
    assertTrue(e.getMessage().contains("oversample"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> FilteredKnnBenchmark.parseStrategy("e=50,0,0,4"));
    assertTrue(e.getMessage().contains("e=50,0,0,4"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("i=150,0,0,1,30,45,20,1,1"));
    assertTrue(e.getMessage().contains("CLUSTER_CANDIDATES"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("j=150,0,0,1,30,45,-1"));
    assertTrue(e.getMessage().contains("walkPatience"), e.getMessage());
  }

  @Test
  void strategiesParseByNameFromTheDefaults() {
    FilteredKnnBenchmark.Strategy s =
        FilteredKnnBenchmark.parseStrategy("k100=minCandidates=100, scanBelowPercent=0");
    assertEquals("k100", s.name());
    assertEquals(new KnnTuning(100, 0, 0, 1, 0, 45, 20, 1000), s.tuning());
    assertEquals(KnnTuning.DEFAULT.withMinCandidates(100).withScanBelowPercent(0), s.tuning());
    assertEquals(KnnTuning.DEFAULT, FilteredKnnBenchmark.parseStrategy("d=default").tuning());
    // every setting by name, in any order, reads back what spec() writes
    KnnTuning all = new KnnTuning(7, 60, 9000, 3, 25, 40, 11, 77);
    assertEquals(all, FilteredKnnBenchmark.parseStrategy("all=" + all.spec()).tuning());
    assertEquals(
        all,
        KnnTuning.parse(
            "clusterCandidates=77,walkPatience=11,scanBlocksBelowPercent=40,scanBelowPercent=25,oversample=3,exactBelow=9000,filteredSearchThreshold=60,minCandidates=7"));
    // the positional form and the named one agree on the defaults' settings
    assertEquals(
        FilteredKnnBenchmark.parseStrategy("p=150,0,0,1,30,45,20,1000").tuning(),
        KnnTuning.parse(KnnTuning.DEFAULT.spec()));
  }

  @Test
  void badNamedStrategiesAreRefusedWithTheirMistake() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("x=minCandidate=100"));
    assertTrue(
        e.getMessage().contains("'minCandidate'") && e.getMessage().contains("minCandidates"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("x=oversample=0"));
    assertTrue(
        e.getMessage().contains("oversample must be between 1 and 100, got: 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("x=walkPatience=many"));
    assertTrue(e.getMessage().contains("'many'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("x=oversample=2,oversample=3"));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("x=oversample=2,150"));
    assertTrue(e.getMessage().contains("'150'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("minCandidates=100"));
    assertTrue(e.getMessage().contains("'100'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilteredKnnBenchmark.parseStrategy("=minCandidates=100"));
    assertTrue(e.getMessage().contains("NAME=SETTINGS"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> FilteredKnnBenchmark.parseStrategy("nothing="));
    assertTrue(e.getMessage().contains("NAME=SETTINGS"), e.getMessage());
  }
}
