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
 */
public record IndexInfo(
    long generation,
    int documents,
    String modelId,
    String weightsId,
    boolean pretrained,
    int dimension,
    String catalog) {

  /** A warning to show with every result when the weights are untrained, else empty. */
  public String untrainedWarning() {
    return pretrained
        ? ""
        : "UNTRAINED WEIGHTS: this index was built with untrained weights ("
            + weightsId
            + "); similarity results are not meaningful";
  }
}
