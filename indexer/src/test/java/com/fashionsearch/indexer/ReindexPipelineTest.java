package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.data.SyntheticCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline both backends share: batches in catalog order into the sink, the embedding cache,
 * and every skipped product counted by reason.
 */
class ReindexPipelineTest {
  @TempDir Path tmp;

  /**
   * Ten catalog products: #2's image is not an image, #5 has no file, #7's cached vector is zero.
   */
  private List<Product> products() throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 10, 3);
    List<Product> products = new ArrayList<>(new CatalogReader().read(catalog, false).products());
    Files.writeString(products.get(2).image(), "not an image", StandardCharsets.UTF_8);
    Product p5 = products.get(5);
    products.set(5, new Product(p5.id(), p5.attributes(), tmp.resolve("no-such-file.jpg")));
    return products;
  }

  private static EmbeddingCache cache(Path dir) throws Exception {
    return EmbeddingCache.open(
        dir,
        "pixel-grid",
        "none",
        new PixelGridEmbedder().preprocessing(),
        PixelGridEmbedder.DIMENSION);
  }

  @Test
  void batchesReachTheSinkInCatalogOrderAndSkipsAreCountedByReason() throws Exception {
    List<Product> products = products();
    Path cacheDir = tmp.resolve("cache");
    try (EmbeddingCache cache = cache(cacheDir)) {
      byte[] bytes7 = Files.readAllBytes(products.get(7).image());
      cache.put(EmbeddingCache.sha256Hex(bytes7), new float[PixelGridEmbedder.DIMENSION]);
    }
    PixelGridEmbedder embedder = new PixelGridEmbedder();
    List<List<String>> batches = new ArrayList<>();
    ReindexCounts counts = new ReindexCounts();
    try (EmbeddingCache cache = cache(cacheDir)) {
      new ReindexPipeline(embedder, 3, false, ProgressListener.NONE)
          .run(
              "test",
              products,
              cache,
              counts,
              batch -> batches.add(batch.stream().map(p -> p.product().id()).toList()));
    }
    List<String> expected = new ArrayList<>();
    for (int i : new int[] {0, 1, 3, 4, 6, 8, 9}) {
      expected.add(products.get(i).id());
    }
    assertEquals(
        expected,
        batches.stream().flatMap(List::stream).toList(),
        "catalog order, skipped ones left out");
    assertTrue(
        batches.stream().allMatch(b -> !b.isEmpty() && b.size() <= 3),
        "batches of 1 to 3: " + batches);
    assertEquals(7, counts.indexed());
    assertEquals(7, counts.embedded(), "all but the cached one and the two bad images");
    assertEquals(1, counts.fromCache());
    Map<String, Integer> skipped = counts.skipped();
    assertEquals(1, skipped.get("unreadable-image"), skipped.toString());
    assertEquals(1, skipped.get("zero-embedding"), skipped.toString());
    assertEquals(3, skipped.size(), "one image-<reason> besides: " + skipped);
    assertTrue(skipped.keySet().stream().anyMatch(k -> k.startsWith("image-")), skipped.toString());

    // a second run takes every vector from the cache and never calls the network
    PixelGridEmbedder second = new PixelGridEmbedder();
    ReindexCounts again = new ReindexCounts();
    List<String> ids = new ArrayList<>();
    try (EmbeddingCache cache = cache(cacheDir)) {
      new ReindexPipeline(second, 3, false, ProgressListener.NONE)
          .run(
              "test",
              products,
              cache,
              again,
              batch -> batch.forEach(p -> ids.add(p.product().id())));
    }
    assertEquals(expected, ids);
    assertEquals(0, again.embedded());
    assertEquals(8, again.fromCache());
    assertEquals(0, second.images, "the network never ran");
  }

  @Test
  void strictFailsOnTheFirstBadImageNamingIt() throws Exception {
    List<Product> products = products();
    List<String> written = new ArrayList<>();
    try (EmbeddingCache cache = cache(tmp.resolve("cache"))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  new ReindexPipeline(new PixelGridEmbedder(), 3, true, ProgressListener.NONE)
                      .run(
                          "test",
                          products,
                          cache,
                          new ReindexCounts(),
                          batch -> batch.forEach(p -> written.add(p.product().id()))));
      assertTrue(e.getMessage().contains("product " + products.get(2).id()), e.getMessage());
    }
    assertFalse(written.contains(products.get(2).id()));
  }

  @Test
  void aBatchSizeOutOfRangeIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ReindexPipeline(new PixelGridEmbedder(), 0, false, ProgressListener.NONE));
    assertEquals("batch must be between 1 and 1024, got: 0", e.getMessage());
  }
}
