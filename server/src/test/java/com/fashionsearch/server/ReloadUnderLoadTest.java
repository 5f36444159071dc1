package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.TestIndexes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reindexing while requests run: the server moves to each new generation and fails no request. */
class ReloadUnderLoadTest {
  @TempDir Path dir;

  @Test
  void reindexWhileRequestsRunFailsNothing() throws Exception {
    Path catalog = dir.resolve("catalog");
    Path index = dir.resolve("index");
    TestCatalog.write(catalog, index, false);
    IndexGenerations generations = new IndexGenerations(index);
    try (LuceneProductSearcher searcher =
            LuceneProductSearcher.open(
                index, (m, w) -> new TestIndexes.ColourEmbedder(false), KnnTuning.DEFAULT);
        RunningServer server =
            FashionServer.start(
                searcher,
                ServerConfig.forIndex(index)
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withReloadInterval(Duration.ofMillis(50)))) {
      Http http = new Http(server.url());
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      Set<Long> generationsSeen = ConcurrentHashMap.newKeySet();
      List<Thread> clients = new ArrayList<>();
      String[] paths = {
        "/api/items/1/similar?k=5&masterCategory=Footwear",
        "/api/facets?gender=Women",
        "/api/items/3/similar?k=3",
        "/health"
      };
      for (int t = 0; t < 4; t++) {
        String path = paths[t];
        Thread client =
            new Thread(
                () -> {
                  while (running.get()) {
                    try {
                      Http.Response r = http.get(path);
                      if (r.status() != 200) {
                        failures.add(path + " -> " + r.status() + " " + r.text());
                      } else {
                        ok.incrementAndGet();
                        generationsSeen.add(r.json().get("index").get("generation").asLong());
                      }
                    } catch (Exception e) {
                      failures.add(path + " -> " + e);
                    }
                  }
                });
        client.start();
        clients.add(client);
      }
      // Three reindexes, each deleting all but the previous generation as fashion reindex does.
      long last = 0;
      for (int round = 0; round < 3; round++) {
        // Let requests run on the current generation first, however slow the machine is.
        awaitMoreServed(ok, 10);
        List<Product> products = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (String[] r : TestCatalog.ROWS) {
          products.add(
              TestIndexes.product(
                  catalog, r[0], r[1], r[2], r[3], r[4], r[5], Integer.parseInt(r[6]), r[7]));
          vectors.add(TestIndexes.colourVector(Integer.parseInt(r[8], 16) ^ (round * 0x050505)));
        }
        last = TestIndexes.writeGeneration(index, catalog, products, vectors, round == 2);
        generations.deleteAllBut(Optional.of(last - 1));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline
          && http.get("/health").json().get("index").get("generation").asLong() != last) {
        Thread.sleep(50);
      }
      awaitMoreServed(ok, 10);
      running.set(false);
      for (Thread c : clients) {
        c.join();
      }
      assertEquals(List.of(), List.copyOf(failures));
      assertTrue(ok.get() > 20, "requests served: " + ok.get());
      assertTrue(
          generationsSeen.contains(1L) && generationsSeen.contains(last),
          "generations seen: " + generationsSeen);
      assertTrue(http.get("/health").json().get("index").get("pretrained").asBoolean());
    }
  }

  /** Waits until the clients have served {@code more} further requests (up to a minute). */
  private static void awaitMoreServed(AtomicInteger ok, int more) throws InterruptedException {
    int target = ok.get() + more;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (ok.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
