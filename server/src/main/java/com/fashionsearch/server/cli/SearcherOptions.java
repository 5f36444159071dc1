package com.fashionsearch.server.cli;

import com.fashionsearch.searcher.IndexEmbedders;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.QueryBatching;
import com.fashionsearch.solr.SolrProductSearcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The index a command searches and how query images are embedded: the backend ({@link
 * BackendOptions}), the local {@code --index} folder, and the query {@code --weights}; opens the
 * searcher of the chosen backend. A picocli mixin shared by search and serve. Not thread-safe
 * (filled by picocli once).
 */
final class SearcherOptions {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "The index folder (the lucene backend).")
  Path index;

  @Mixin BackendOptions backend;

  @Mixin QueryWeightsOption queryWeights;

  /**
   * The local index folder.
   *
   * @throws IllegalArgumentException when it is not given (with the lucene backend, which needs it)
   */
  Path requireIndex() {
    if (index == null) {
      throw new IllegalArgumentException("--index DIR is required with --backend lucene");
    }
    return index;
  }

  /**
   * Opens the searcher of the chosen backend.
   *
   * @throws IllegalArgumentException for a bad backend choice, or no --index with the lucene
   *     backend
   */
  ProductSearcher open() throws IOException {
    return open(QueryBatching.NONE);
  }

  /**
   * Opens the searcher of the chosen backend, its query images shared among forward passes as
   * {@code batching} says.
   *
   * @throws IllegalArgumentException for a bad backend choice, or no --index with the lucene
   *     backend
   */
  ProductSearcher open(QueryBatching batching) throws IOException {
    IndexEmbedders embedders = new IndexEmbedders(queryWeights.weights(), batching);
    if (backend.solr()) {
      return SolrProductSearcher.open(
          backend.solrTarget(), embedders, Duration.ofSeconds(backend.solrTimeout));
    }
    return LuceneProductSearcher.open(requireIndex(), embedders, KnnTuning.DEFAULT);
  }
}
