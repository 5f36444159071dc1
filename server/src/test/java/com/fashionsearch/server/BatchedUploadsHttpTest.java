package com.fashionsearch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.searcher.EmbedderFactory;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.QueryBatching;
import com.fashionsearch.searcher.TestIndexes;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent uploads through a searcher whose query embedder batches: each upload gets the ranking
 * of its own photo (the same as when it is sent alone), while concurrent photos share forward
 * passes.
 */
class BatchedUploadsHttpTest {
  @TempDir Path dir;

  /** The colour embedder, recording the size of every batch it embeds. */
  private static final class RecordingFactory implements EmbedderFactory {
    final List<Integer> batches = new CopyOnWriteArrayList<>();

    @Override
    public ImageEmbedder create(String modelId, String weightsId) {
      TestIndexes.ColourEmbedder colours = new TestIndexes.ColourEmbedder(false);
      return new ImageEmbedder() {
        @Override
        public String modelId() {
          return colours.modelId();
        }

        @Override
        public String weightsId() {
          return colours.weightsId();
        }

        @Override
        public boolean pretrained() {
          return colours.pretrained();
        }

        @Override
        public int dimension() {
          return colours.dimension();
        }

        @Override
        public float[][] embed(List<BufferedImage> images) {
          batches.add(images.size());
          return colours.embed(images);
        }

        @Override
        public void close() {
          colours.close();
        }
      };
    }

    @Override
    public QueryBatching queryBatching() {
      return new QueryBatching(4, Duration.ofMillis(200));
    }
  }

  private static List<String> ids(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.get("results").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  @Test
  void concurrentUploadsShareForwardPassesAndEachGetsItsOwnRanking() throws Exception {
    TestCatalog.write(dir.resolve("catalog"), dir.resolve("index"), false);
    RecordingFactory factory = new RecordingFactory();
    int[] colours = {
      0x20D020, 0xE01010, 0x1010E0, 0x101010, 0x20D020, 0xE01010, 0x1010E0, 0x101010
    };
    ExecutorService clients = Executors.newFixedThreadPool(colours.length);
    try (LuceneProductSearcher searcher =
            LuceneProductSearcher.open(dir.resolve("index"), factory, KnnTuning.DEFAULT);
        RunningServer server =
            FashionServer.start(
                searcher,
                ServerConfig.forIndex(dir.resolve("index"))
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withLimits(
                        ServerLimits.DEFAULT.withUploads(
                            8, 16, 32_000_000, Duration.ofSeconds(10))))) {
      Http http = new Http(server.url());
      List<Future<Http.Response>> answers = new ArrayList<>();
      for (int rgb : colours) {
        byte[] png = TestCatalog.png(rgb);
        answers.add(
            clients.submit(
                () -> http.postMultipart("/api/search?k=3", Map.of("image", png), Map.of())));
      }
      for (int i = 0; i < colours.length; i++) {
        Http.Response together = answers.get(i).get();
        assertEquals(200, together.status(), together.text());
        Http.Response alone =
            http.postMultipart(
                "/api/search?k=3", Map.of("image", TestCatalog.png(colours[i])), Map.of());
        assertEquals(
            ids(alone.json()), ids(together.json()), "photo " + Integer.toHexString(colours[i]));
      }
      assertTrue(
          factory.batches.stream().anyMatch(n -> n > 1),
          "concurrent uploads shared a pass: " + factory.batches);
      assertTrue(factory.batches.stream().allMatch(n -> n <= 4), factory.batches.toString());
    } finally {
      clients.shutdownNow();
    }
  }
}
