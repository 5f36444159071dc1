package com.fashionsearch.searcher;

import com.fashionsearch.models.ImageEmbedder;

/** Creates the embedder that encodes query images for an index built with a given model and weights. */
@FunctionalInterface
public interface EmbedderFactory {
  /**
   * @param modelId the index's model id
   * @param weightsId the index's weights id
   * @throws IllegalArgumentException when the model or weights are not available here
   */
  ImageEmbedder create(String modelId, String weightsId);
}
