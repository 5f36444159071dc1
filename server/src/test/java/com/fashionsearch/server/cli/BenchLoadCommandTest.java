package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.TestIndexes;
import com.fashionsearch.server.FashionServer;
import com.fashionsearch.server.RunningServer;
import com.fashionsearch.server.ServerConfig;
import com.fashionsearch.server.ServerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fashion bench load} stops by itself, reports every route, and stays on the loopback
 * interface.
 */
class BenchLoadCommandTest {
  @TempDir Path dir;

  @Test
  void aShortRunReportsEveryRouteAndStopsByItself() throws Exception {
    Path catalog = dir.resolve("catalog");
    Path index = dir.resolve("index");
    SyntheticCatalog.write(catalog, 20, 3);
    List<Product> products = new CatalogReader().read(catalog, false).products();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < products.size(); i++) {
      vectors.add(TestIndexes.colourVector(0x0a0b0c * (i + 1)));
    }
    TestIndexes.writeGeneration(index, catalog, products, vectors, false);
    try (LuceneProductSearcher searcher =
            LuceneProductSearcher.open(
                index, (m, w) -> new TestIndexes.ColourEmbedder(false), KnnTuning.DEFAULT);
        RunningServer server =
            FashionServer.start(
                searcher,
                ServerConfig.forIndex(index)
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withLimits(
                        ServerLimits.DEFAULT.withUploads(
                            2, 1, 8, 2_000_000, Duration.ofMillis(200))))) {
      long start = System.nanoTime();
      CliRun run =
          CliRun.run(
              "bench",
              "load",
              "--url",
              "http://127.0.0.1:" + server.port(),
              "--catalog",
              catalog.toString(),
              "--clients",
              "2",
              "--oversized",
              "3",
              "--oversized-side",
              "2500",
              "--duration-s",
              "3",
              "--warmup-s",
              "1",
              "--pid",
              Long.toString(ProcessHandle.current().pid()));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(0, run.code(), run.err());
      assertTrue(seconds < 60, "the run stops by itself: " + seconds + " s");
      // which mixed routes a 3-second run reaches depends on the machine; the table and the flood
      // are always there
      assertTrue(
          run.out()
              .contains(
                  "route                                    requests    req/s    p50_ms    p99_ms "
                      + " statuses"),
          run.out());
      assertTrue(run.out().contains("POST /api/search (oversized PNG)"), run.out());
      assertTrue(run.out().contains("GET /"), "at least one cheap request: " + run.out());
      assertTrue(run.out().contains("load clients=2 uploaders=0 oversized=3 "), run.out());
      assertTrue(run.out().contains(" status_500=0 "), run.out());
      assertTrue(run.out().contains("warm-up: 1 s of the same workload, not measured"), run.out());
      int warmupLine = run.out().indexOf("warm-up:");
      assertTrue(
          warmupLine < run.out().indexOf("route "),
          "the warm-up comes before the measured table: " + run.out());
      assertTrue(run.out().matches("(?s).*peak RSS \\(VmHWM\\) \\d+ MB.*"), run.out());
    }
  }

  @Test
  void refusesAWarmUpOutOfRange() {
    CliRun run =
        CliRun.run(
            "bench",
            "load",
            "--url",
            "http://127.0.0.1:7070",
            "--catalog",
            dir.toString(),
            "--warmup-s",
            "-1");
    assertEquals(1, run.code());
    assertTrue(run.err().contains("--warmup-s must be between 0 and 600, got: -1"), run.err());
  }

  @Test
  void refusesAServerOffTheLoopbackInterface() {
    CliRun run =
        CliRun.run("bench", "load", "--url", "http://192.0.2.1:7070", "--catalog", dir.toString());
    assertEquals(1, run.code());
    assertTrue(run.err().contains("loopback"), run.err());
  }
}
