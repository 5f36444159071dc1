package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.models.UnitLength;
import com.fashionsearch.models.mobilenet.MobileNetEmbedder;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Query images to vectors for any backend: one {@link ImageQueryEncoder} per model, weights and
 * preprocessing an index was built with, created on first use and checked against the index's
 * metadata. Thread-safe.
 */
public final class QueryImageEncoders implements AutoCloseable {
  private final EmbedderFactory embedders;
  private final Map<String, ImageQueryEncoder> encoders = new ConcurrentHashMap<>();

  /**
   * @param embedders creates the embedder for an index's model and weights
   */
  public QueryImageEncoders(EmbedderFactory embedders) {
    this.embedders = Objects.requireNonNull(embedders, "embedders");
  }

  /**
   * Encodes {@code image} as the index described by {@code metadata} was embedded: the network's
   * embedding, before the learned projection of a generation that has one.
   *
   * @throws IllegalStateException when the embedder's model or weights differ from the index's
   */
  public float[] encode(IndexMetadata metadata, BufferedImage image) {
    String key = metadata.modelId() + "|" + metadata.weightsId() + "|" + metadata.preprocessing();
    ImageQueryEncoder encoder =
        encoders.computeIfAbsent(
            key,
            k ->
                new ImageQueryEncoder(
                    embedders.create(
                        metadata.modelId(), metadata.weightsId(), metadata.preprocessing()),
                    embedders.queryBatching()));
    metadata.requireCompatible(encoder.modelId(), encoder.weightsId(), encoder.preprocessing());
    float[] vector = encoder.encode(image);
    if (!metadata.isLearned()) {
      vector = visualPart(vector, metadata);
      requireDimension(metadata, vector);
    }
    return vector;
  }

  /**
   * An embedding's part that an index without a learned projection holds: its first {@code
   * metadata.dimension()} dimensions, the network's own embedding, when the index's embedder adds
   * intermediate features after it ({@link MobileNetEmbedder#INTERMEDIATE_ID} in its preprocessing)
   * (see {@link com.fashionsearch.models.ImageEmbedder#visualDimension()}); otherwise the embedding
   * itself (one of another dimension is refused by {@link #requireDimension}).
   */
  public static float[] visualPart(float[] embedding, IndexMetadata metadata) {
    Objects.requireNonNull(embedding, "embedding");
    // the preprocessing id is read only for an embedding longer than the index's vectors
    return embedding.length > metadata.dimension()
            && MobileNetEmbedder.intermediatesOf(metadata.preprocessing()) > 0
        ? UnitLength.leading(embedding, metadata.dimension())
        : embedding;
  }

  /**
   * @throws IllegalArgumentException when {@code vector} does not have the index's dimension
   */
  public static void requireDimension(IndexMetadata metadata, float[] vector) {
    Objects.requireNonNull(vector, "vector");
    if (vector.length != metadata.dimension()) {
      throw new IllegalArgumentException(
          "query vector must have dimension " + metadata.dimension() + ", got: " + vector.length);
    }
  }

  /** Closes every encoder made so far. */
  @Override
  public void close() {
    encoders.values().forEach(ImageQueryEncoder::close);
    encoders.clear();
  }
}
