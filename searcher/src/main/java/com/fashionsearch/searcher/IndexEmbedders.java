package com.fashionsearch.searcher;

import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageEmbedder;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link EmbedderFactory}: the index's model with the weights it was built with. An
 * index records the weights' identity (e.g. {@code random:42}, or a file name and checksum), which
 * is not always a spec {@link Embedders#create} accepts; then the packaged weights ({@code zoo})
 * are tried, and the searcher checks that their identity matches the index's before encoding
 * anything. Weights from a file are named explicitly ({@code --weights FILE}). Immutable,
 * thread-safe.
 */
public final class IndexEmbedders implements EmbedderFactory {
  private static final Logger LOG = LoggerFactory.getLogger(IndexEmbedders.class);

  private final Optional<String> weights;
  private final QueryBatching batching;

  /**
   * @param weights the weights spec to use instead of the index's own, if any
   */
  public IndexEmbedders(Optional<String> weights) {
    this(weights, QueryBatching.NONE);
  }

  /**
   * @param weights the weights spec to use instead of the index's own, if any
   * @param batching how concurrent query images share forward passes
   */
  public IndexEmbedders(Optional<String> weights, QueryBatching batching) {
    this.weights = weights;
    this.batching = Objects.requireNonNull(batching, "batching");
  }

  @Override
  public QueryBatching queryBatching() {
    return batching;
  }

  /**
   * The embedder with today's defaults for new indexes; see {@link #create(String, String,
   * String)}.
   */
  @Override
  public ImageEmbedder create(String modelId, String weightsId) {
    return create(
        modelId, weightsId, (model, w) -> Embedders.create(model, w, Embedders.DEFAULT_RESIZE));
  }

  /**
   * The embedder that reproduces the index's recorded preprocessing ({@link
   * Embedders#createAsRecorded}): pad without power normalisation for an index that predates the
   * record.
   */
  @Override
  public ImageEmbedder create(String modelId, String weightsId, String preprocessing) {
    return create(
        modelId, weightsId, (model, w) -> Embedders.createAsRecorded(model, w, preprocessing));
  }

  private ImageEmbedder create(
      String modelId, String weightsId, BiFunction<String, String, ImageEmbedder> factory) {
    if (weights.isPresent()) {
      return factory.apply(modelId, weights.get());
    }
    try {
      return factory.apply(modelId, weightsId);
    } catch (RuntimeException asRecorded) {
      LOG.debug(
          "weights id {} is not a weights spec ({}); trying zoo", weightsId, asRecorded.toString());
      try {
        return factory.apply(modelId, "zoo");
      } catch (RuntimeException zoo) {
        IllegalStateException e =
            new IllegalStateException(
                "cannot load the index's weights for model "
                    + modelId
                    + " ("
                    + weightsId
                    + "): give them with --weights FILE ("
                    + asRecorded.getMessage()
                    + ")",
                zoo);
        e.addSuppressed(asRecorded);
        throw e;
      }
    }
  }
}
