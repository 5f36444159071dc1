package com.fashionsearch.indexer;

import com.fashionsearch.data.Product;
import java.util.Objects;

/**
 * A product and its image's unit-length, non-zero embedding, as the {@link ReindexPipeline} hands
 * it to a {@link VectorSink}. Immutable in its fields; the vector array is shared, not copied.
 *
 * @param product the catalog row
 * @param vector its image's embedding (from the network or the embedding cache)
 */
public record EmbeddedProduct(Product product, float[] vector) {
  public EmbeddedProduct {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(vector, "vector");
  }
}
