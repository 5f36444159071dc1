package com.fashionsearch.indexer;

import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What one reindex run does. Immutable and thread-safe.
 *
 * @param catalog the catalog folder ({@code styles.csv} and {@code images/})
 * @param index the index folder (generations, {@code CURRENT}, cache)
 * @param batchSize images per network call
 * @param strict fail on the first problem instead of counting and skipping it
 * @param vectors HNSW parameters and quantization
 * @param merge merge the new generation into one segment before it becomes current: one graph to
 *     walk per query instead of one per segment (a 44,000 x 4096-d index is written in 2 segments,
 *     and a query over both took about twice as long as over the merged one:
 *     docs/benchmarks-history.md, "One thread per query, merged generations")
 * @param learn whether a projection is learned from the catalog's labels
 */
public record ReindexOptions(
    Path catalog,
    Path index,
    int batchSize,
    boolean strict,
    VectorIndexOptions vectors,
    boolean merge,
    LearnOptions learn) {
  public ReindexOptions {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(vectors, "vectors");
    Objects.requireNonNull(learn, "learn");
    if (batchSize < 1 || batchSize > 1024) {
      throw new IllegalArgumentException("batch must be between 1 and 1024, got: " + batchSize);
    }
  }

  /** Without a learned projection. */
  public ReindexOptions(
      Path catalog,
      Path index,
      int batchSize,
      boolean strict,
      VectorIndexOptions vectors,
      boolean merge) {
    this(catalog, index, batchSize, strict, vectors, merge, LearnOptions.NONE);
  }

  /** With the generation merged into one segment, without a learned projection. */
  public ReindexOptions(
      Path catalog, Path index, int batchSize, boolean strict, VectorIndexOptions vectors) {
    this(catalog, index, batchSize, strict, vectors, true);
  }

  /** The same options with another learning choice. */
  public ReindexOptions withLearn(LearnOptions l) {
    return new ReindexOptions(catalog, index, batchSize, strict, vectors, merge, l);
  }
}
