package com.fashionsearch.bench.eval;

import java.util.List;
import java.util.Objects;

/**
 * A product id, its labels at each level of {@link #LEVELS} and its unit-length embedding.
 *
 * @param id the product id
 * @param labels the articleType, subCategory and masterCategory, in the order of {@link #LEVELS}
 *     (empty when the catalog has none)
 * @param vector the embedding
 */
public record LabeledVector(String id, List<String> labels, float[] vector) {
  /** The label levels evaluated, finest first: the catalog's column names. */
  public static final List<String> LEVELS = List.of("articleType", "subCategory", "masterCategory");

  public LabeledVector {
    Objects.requireNonNull(id, "id");
    labels = List.copyOf(labels);
    if (labels.size() != LEVELS.size()) {
      throw new IllegalArgumentException(
          "product " + id + " needs " + LEVELS.size() + " labels " + LEVELS + ", got: " + labels);
    }
    Objects.requireNonNull(vector, "vector");
  }

  /** The label at {@code level} (an index into {@link #LEVELS}). */
  public String label(int level) {
    return labels.get(level);
  }
}
