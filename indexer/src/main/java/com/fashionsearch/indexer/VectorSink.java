package com.fashionsearch.indexer;

import java.io.IOException;
import java.util.List;

/**
 * Where the {@link ReindexPipeline} puts each batch of embedded products: a Lucene writer ({@link
 * LuceneDocumentSink}), a Solr collection, or a list kept for learning a projection first.
 * Implementations say whether they are thread-safe; the pipeline calls one sink from one thread.
 */
@FunctionalInterface
public interface VectorSink {
  /**
   * Takes one batch, in catalog order; never called with an empty batch.
   *
   * @throws IOException when the batch cannot be written (a full disk, a refused request); the run
   *     then stops
   */
  void accept(List<EmbeddedProduct> batch) throws IOException;
}
