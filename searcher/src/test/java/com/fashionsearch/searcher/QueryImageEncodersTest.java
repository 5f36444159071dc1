package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an index without a learned projection takes of an embedding. */
class QueryImageEncodersTest {

  private static IndexMetadata index(int dimension, String preprocessing) {
    return new IndexMetadata(
        IndexSchema.VERSION,
        "mobilenet-v1",
        "w",
        true,
        dimension,
        IndexSchema.SIMILARITY.name(),
        "hnsw",
        "/catalog",
        1,
        10,
        Map.of(),
        preprocessing);
  }

  @Test
  void anEmbeddingWithIntermediateFeaturesIsCutToItsVisualPartRenormalised() {
    float[] embedding = {0.5f, 0.5f, 0.5f, 0.5f}; // visual part (0.5, 0.5), then features
    float[] visual =
        QueryImageEncoders.visualPart(embedding, index(2, "resize=pad,power=0.5,mid=7"));
    assertArrayEquals(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)}, visual, 1e-6f);
    float[] same = {0.6f, 0.8f};
    assertSame(same, QueryImageEncoders.visualPart(same, index(2, "resize=pad,mid=7")));
  }

  @Test
  void withoutIntermediateLayersAnEmbeddingOfAnotherDimensionIsStillRefused() {
    IndexMetadata plain = index(2, "resize=pad,power=0.5");
    float[] longer = {0.5f, 0.5f, 0.5f, 0.5f};
    assertSame(longer, QueryImageEncoders.visualPart(longer, plain), "nothing is cut");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QueryImageEncoders.requireDimension(plain, longer));
    assertTrue(e.getMessage().contains("dimension 2, got: 4"), e.getMessage());
    assertEquals(
        "embedding",
        assertThrows(NullPointerException.class, () -> QueryImageEncoders.visualPart(null, plain))
            .getMessage());
  }
}
