package com.fashionsearch.searcher;

import com.fashionsearch.models.ImageEmbedder;

/**
 * Creates the embedder that encodes query images for an index built with a given model and weights.
 */
@FunctionalInterface
public interface EmbedderFactory {
  /**
   * @param modelId the index's model id
   * @param weightsId the index's weights id
   * @throws IllegalArgumentException when the model or weights are not available here
   */
  ImageEmbedder create(String modelId, String weightsId);

  /**
   * Creates the embedder for an index that also records its preprocessing; by default the
   * preprocessing is left to {@link #create(String, String)} (and checked by the caller).
   *
   * @param preprocessing the index's recorded preprocessing id (empty when not recorded)
   * @throws IllegalArgumentException when the model or weights are not available here
   */
  default ImageEmbedder create(String modelId, String weightsId, String preprocessing) {
    return create(modelId, weightsId);
  }

  /**
   * How the query images of one embedder share forward passes; {@link QueryBatching#NONE} by
   * default.
   */
  default QueryBatching queryBatching() {
    return QueryBatching.NONE;
  }
}
