package com.fashionsearch.searcher;

/**
 * What the searched index was built from. Immutable and thread-safe.
 *
 * @param generation the index generation searched
 * @param documents the number of products in it
 * @param modelId the embedding model, e.g. {@code vgg16}
 * @param weightsId the model's weights, e.g. {@code random:42}
 * @param pretrained false when the weights are untrained: results are then not meaningful
 * @param dimension the vector dimension
 * @param catalog the catalog folder the index was built from (its images are under {@code images/})
 * @param learned the learned projection its vectors went through ({@code
 *     ProjectionInfo.describe()}), or empty when they are the network's own
 */
public record IndexInfo(
    long generation,
    int documents,
    String modelId,
    String weightsId,
    boolean pretrained,
    int dimension,
    String catalog,
    String learned) {

  public IndexInfo {
    java.util.Objects.requireNonNull(learned, "learned");
  }

  /** An index whose vectors are the network's own (no learned projection). */
  public IndexInfo(
      long generation,
      int documents,
      String modelId,
      String weightsId,
      boolean pretrained,
      int dimension,
      String catalog) {
    this(generation, documents, modelId, weightsId, pretrained, dimension, catalog, "");
  }

  /** A warning to show with every result when the weights are untrained, else empty. */
  public String untrainedWarning() {
    return pretrained
        ? ""
        : "UNTRAINED WEIGHTS: this index was built with untrained weights ("
            + weightsId
            + "); similarity results are not meaningful";
  }
}
