package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.bench.FilteredKnnBenchmark.Measurement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FAISS peer's side of {@code bench query}: the filter file it writes, the script's lines it
 * reads, the best method it picks. The script is replaced by a small shell script that answers from
 * the filter file it is given, so no FAISS is needed.
 */
class FaissPeerTest {
  @TempDir Path dir;

  /**
   * What faiss_knn.py printed for two filters (FAISS 1.7.3, 44,000 x 4096), build line included.
   */
  private static final List<String> CAPTURED =
      List.of(
          "faiss-hnsw build n=44000 dim=4096 m=16 efc=100 s=412.3",
          "faiss-flat filter=none matches=44000 recall=1.000 p50_ms=11.874 p99_ms=14.020",
          "faiss-hnsw filter=none matches=44000 ef=40 recall=0.962 p50_ms=2.281 p99_ms=3.117",
          "faiss-flat filter=gender=Boys,masterCategory=Footwear matches=14 recall=1.000"
              + " p50_ms=0.031 p99_ms=0.052",
          "faiss-hnsw filter=gender=Boys,masterCategory=Footwear matches=14 ef=4096 recall=0.871"
              + " p50_ms=0.012 p99_ms=0.020");

  @Test
  void theFilterFileHoldsANameAndTheMatchingRowsPerLine() throws Exception {
    Map<String, int[]> rows = new LinkedHashMap<>();
    rows.put("none", new int[] {0, 1, 2, 3});
    rows.put("gender=Men,articleType=Casual_Shoes", new int[] {1, 3});
    Path file = dir.resolve("filters.txt");
    FaissPeer.writeFilters(file, rows);
    assertEquals(
        List.of("none 0 1 2 3", "gender=Men,articleType=Casual_Shoes 1 3"),
        Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  @Test
  void aNameTheScriptWouldSplitOrAFilterWithoutRowsIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FaissPeer.writeFilters(
                    dir.resolve("f.txt"), Map.of("articleType=Casual Shoes", new int[] {1})));
    assertTrue(e.getMessage().contains("'articleType=Casual Shoes'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FaissPeer.writeFilters(
                    dir.resolve("g.txt"), Map.of("baseColour=Teal", new int[0])));
    assertTrue(e.getMessage().contains("baseColour=Teal matches no product"), e.getMessage());
  }

  @Test
  void theScriptsLinesAreReadAndTheBestMethodIsTheFastestAtTheRecallAsked() {
    List<FaissPeer.Line> lines =
        CAPTURED.stream().flatMap(l -> FaissPeer.parse(l).stream()).toList();
    assertEquals(4, lines.size(), "the build line is not a measurement");
    assertEquals(new FaissPeer.Line("hnsw", "none", 44000, 0.962, 2.281, 3.117), lines.get(1));
    Map<String, FaissPeer.Best> best = FaissPeer.best(lines, 0.95);
    assertEquals(new FaissPeer.Best("hnsw", 0.962, 2.281), best.get("none"));
    // HNSW was faster under the 14-product filter but missed the recall: exact search counts
    assertEquals(
        new FaissPeer.Best("flat", 1.0, 0.031), best.get("gender=Boys,masterCategory=Footwear"));
    assertEquals(new FaissPeer.Best("flat", 1.0, 11.874), FaissPeer.best(lines, 0.97).get("none"));
  }

  @Test
  void theComparisonLineGivesFaisssBestP50OverOursForIdsAndScoresAndForFullItems() {
    Measurement ours = new Measurement("default", "none", 44000, 1.0, 0.999, 1.14, 2.0, 800, 0.57);
    assertEquals(
        "vs-faiss filter=none selectivity=1.0000 recall@10=0.999 p50_ms=0.570 faiss_p50_ms=2.281"
            + " faiss_method=hnsw faiss_recall=0.962 ratio=4.00 items_p50_ms=1.140 items_ratio=2.00"
            + " strategy=default",
        FaissPeer.versus(ours, new FaissPeer.Best("hnsw", 0.962, 2.281)));
    assertTrue(
        FaissPeer.versus(ours, null).contains(" faiss_p50_ms=none "), FaissPeer.versus(ours, null));
    // a searcher without an ids-only answer is compared by its full query
    Measurement full =
        new Measurement("solr", "none", 44000, 1.0, 0.999, 1.14, 2.0, 800, Double.NaN);
    assertTrue(
        FaissPeer.versus(full, new FaissPeer.Best("hnsw", 0.962, 2.281)).contains(" p50_ms=1.140 "),
        FaissPeer.versus(full, null));
  }

  @Test
  void runPassesTheFiltersAndIndexCacheToTheScriptAndReadsWhatItAnswers() throws Exception {
    // A stand-in for faiss_knn.py: one line per method and filter of the file it is given, the
    // matches counted from the file; it creates the index cache as the real script does.
    Path script = dir.resolve("fake_faiss.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            "while [ $# -gt 0 ]; do case \"$1\" in --filters) f=\"$2\"; shift;; --index-cache)"
                + " c=\"$2\"; shift;; esac; shift; done",
            "echo \"faiss-hnsw build n=5 dim=2 m=16 efc=100 s=0.0\"",
            ": > \"$c\"",
            "while read -r name rest; do",
            "  n=$(echo $rest | wc -w)",
            "  echo \"faiss-flat filter=$name matches=$n recall=1.000 p50_ms=0.$n p99_ms=1.000\"",
            "  echo \"faiss-hnsw filter=$name matches=$n ef=10 recall=0.9$n p50_ms=0.05$n"
                + " p99_ms=0.100\"",
            "done < \"$f\"",
            ""),
        StandardCharsets.UTF_8);
    Map<String, int[]> rows = new LinkedHashMap<>();
    rows.put("none", new int[] {0, 1, 2, 3, 4});
    rows.put("colour=Red", new int[] {2, 4});
    Path filters = dir.resolve("filters.txt");
    FaissPeer.writeFilters(filters, rows);
    ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    Path cache = dir.resolve("hnsw.index");
    List<FaissPeer.Line> lines =
        FaissPeer.run(
            "/bin/sh",
            script,
            dir.resolve("base.fvecs"),
            dir.resolve("queries.fvecs"),
            filters,
            cache,
            0.95,
            new PrintStream(echoed, true, StandardCharsets.UTF_8));
    assertEquals(
        List.of(
            new FaissPeer.Line("flat", "none", 5, 1.0, 0.5, 1.0),
            new FaissPeer.Line("hnsw", "none", 5, 0.95, 0.055, 0.1),
            new FaissPeer.Line("flat", "colour=Red", 2, 1.0, 0.2, 1.0),
            new FaissPeer.Line("hnsw", "colour=Red", 2, 0.92, 0.052, 0.1)),
        lines);
    assertTrue(Files.exists(cache), "the script was given the index cache");
    String out = echoed.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("peer faiss-hnsw build n=5"), out);
    Map<String, FaissPeer.Best> best = FaissPeer.best(lines, 0.95);
    assertEquals("hnsw", best.get("none").method(), "recall 0.95 is enough");
    assertEquals("flat", best.get("colour=Red").method(), "recall 0.92 is not");
  }

  @Test
  void aFailingScriptIsAnErrorNamingIt() throws Exception {
    Path script = dir.resolve("broken.sh");
    Files.writeString(
        script, "echo 'ModuleNotFoundError: faiss' >&2; exit 3\n", StandardCharsets.UTF_8);
    Path filters = dir.resolve("filters.txt");
    FaissPeer.writeFilters(filters, Map.of("none", new int[] {0}));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                FaissPeer.run(
                    "/bin/sh",
                    script,
                    dir.resolve("b.fvecs"),
                    dir.resolve("q.fvecs"),
                    filters,
                    dir.resolve("c"),
                    0.95,
                    new PrintStream(new ByteArrayOutputStream())));
    assertTrue(
        e.getMessage().contains("broken.sh") && e.getMessage().contains("exited with 3"),
        e.getMessage());
  }
}
