package com.fashionsearch.models;

/**
 * What an {@link ImageEmbedder} is, without its network: the ids recorded in an index and in the
 * embedding cache's key. Two embedders with equal identities make the same vectors. Thread-safe
 * (immutable).
 *
 * @param modelId the model's id, {@code vgg16}
 * @param weightsId the weights' identity, {@code random:42} or an id naming a file and its checksum
 * @param pretrained false for untrained weights
 * @param dimension the vector dimension, at least 1
 * @param preprocessing the preprocessing id
 */
public record EmbedderIdentity(
    String modelId, String weightsId, boolean pretrained, int dimension, String preprocessing) {

  /**
   * @throws IllegalArgumentException for a blank id or a dimension below 1
   */
  public EmbedderIdentity {
    requireText("modelId", modelId);
    requireText("weightsId", weightsId);
    requireText("preprocessing", preprocessing);
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got: " + dimension);
    }
  }

  /** The identity an embedder reports. */
  public static EmbedderIdentity of(ImageEmbedder embedder) {
    return new EmbedderIdentity(
        embedder.modelId(),
        embedder.weightsId(),
        embedder.pretrained(),
        embedder.dimension(),
        embedder.preprocessing());
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, got: '" + value + "'");
    }
  }
}
