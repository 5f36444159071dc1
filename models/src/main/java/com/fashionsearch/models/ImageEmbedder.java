package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns images into L2-normalised feature vectors.
 *
 * <p>Implementations are <b>not</b> thread-safe: a network has one owner. Give each thread its own
 * embedder, or serialise calls.
 */
public interface ImageEmbedder extends AutoCloseable {

  /** The model's id, as given on the command line and recorded in the index: {@code vgg16}. */
  String modelId();

  /**
   * The identity of the weights: {@code random:42} for untrained deterministic weights, or an id
   * that names pretrained weights and their checksum. Recorded in the index and the embedding
   * cache.
   */
  String weightsId();

  /** False when the weights are untrained; every output made with them must say so. */
  boolean pretrained();

  /**
   * The identity of the preprocessing (resize mode, crop, normalisation) when the model offers more
   * than one, so that embeddings made differently are never mixed: part of the embedding cache's
   * key.
   */
  default String preprocessing() {
    return "default";
  }

  /** The vector dimension, 4096 for VGG16 fc2. */
  int dimension();

  /**
   * How many of an embedding's leading dimensions are the network's own image embedding, what an
   * index without a learned projection holds ({@link UnitLength#leading}); the rest, when the
   * embedder adds them, are intermediate features that only a learned projection reads. All of them
   * unless the embedder says otherwise.
   */
  default int visualDimension() {
    return dimension();
  }

  /**
   * Embeds a batch of decoded images.
   *
   * @return one vector per image, in order, each of length {@link #dimension()} and unit L2 norm
   *     (an all-zero feature vector stays all-zero)
   */
  float[][] embed(List<BufferedImage> images);

  /** The ids of this embedder, as recorded in an index and the embedding cache's key. */
  default EmbedderIdentity identity() {
    return EmbedderIdentity.of(this);
  }

  /**
   * Builds the network now if this embedder defers it until the first {@link #embed} (a {@link
   * LazyEmbedder}), so that weights that cannot be built fail before any work; a no-op otherwise.
   */
  default void ensureBuilt() {}

  /** Releases the network's native memory. */
  @Override
  void close();
}
