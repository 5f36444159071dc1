package com.fashionsearch.solr;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What one reindex into SolrCloud does. Immutable and thread-safe.
 *
 * @param catalog the catalog folder ({@code styles.csv} and {@code images/})
 * @param cacheDir the embedding cache folder: the local index's {@code cache/} reuses the
 *     embeddings the local backend computed
 * @param shards shards of the new collection
 * @param replicas replicas per shard
 * @param batchSize images per network call and documents per update request
 * @param strict fail on the first problem instead of counting and skipping it
 */
public record SolrReindexOptions(
    Path catalog, Path cacheDir, int shards, int replicas, int batchSize, boolean strict) {
  public SolrReindexOptions {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (shards < 1 || shards > 256) {
      throw new IllegalArgumentException("shards must be between 1 and 256, got: " + shards);
    }
    if (replicas < 1 || replicas > 16) {
      throw new IllegalArgumentException("replicas must be between 1 and 16, got: " + replicas);
    }
    if (batchSize < 1 || batchSize > 1024) {
      throw new IllegalArgumentException("batch must be between 1 and 1024, got: " + batchSize);
    }
  }
}
