package com.fashionsearch.indexer;

import com.fashionsearch.data.CatalogProblem;
import com.fashionsearch.data.CatalogReport;
import com.fashionsearch.data.Product;
import com.fashionsearch.models.ImageEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of one reindex run, whichever backend it writes: products indexed, embeddings computed
 * or taken from the cache, products skipped by reason. Not thread-safe: the writing thread owns it.
 */
public final class ReindexCounts {
  private static final Logger LOG = LoggerFactory.getLogger(ReindexCounts.class);

  private final Map<String, Integer> skipped = new TreeMap<>();
  private int indexed;
  private int embedded;
  private int fromCache;

  /**
   * Counts a skipped product, or fails on it in strict mode.
   *
   * @throws IllegalStateException when {@code strict}, naming the product, its image and the reason
   */
  public void skip(Product product, String reason, String detail, boolean strict) {
    if (strict) {
      throw new IllegalStateException(
          "product " + product.id() + " (" + product.image() + "): " + reason + ": " + detail);
    }
    LOG.warn("skipped product {}: {}: {}", product.id(), reason, detail);
    skipped.merge(reason, 1, Integer::sum);
  }

  /** Rows the catalog reader left out are products skipped too, by the reader's reason. */
  public void skipCatalogRows(CatalogReport report) {
    for (CatalogProblem problem :
        List.of(CatalogProblem.MISSING_IMAGE, CatalogProblem.UNRECOVERABLE_ROW)) {
      int n = report.count(problem);
      if (n > 0) {
        skipped.merge(problem.key(), n, Integer::sum);
      }
    }
  }

  public void countIndexed() {
    indexed++;
  }

  public void countEmbedded() {
    embedded++;
  }

  public void countFromCache() {
    fromCache++;
  }

  public int indexed() {
    return indexed;
  }

  public int embedded() {
    return embedded;
  }

  public int fromCache() {
    return fromCache;
  }

  /** Skipped products by reason (a copy). */
  public Map<String, Integer> skipped() {
    return Map.copyOf(skipped);
  }

  /**
   * The metadata a backend records with a generation built by this run.
   *
   * @param dimension the indexed vectors' dimension (a learned projection's output, or the
   *     network's)
   * @param vectorIndex how the vectors are indexed
   * @param learned {@code ProjectionInfo.describe()}, or {@link IndexMetadata#NOT_LEARNED}
   */
  public IndexMetadata metadata(
      ImageEmbedder embedder,
      int dimension,
      String vectorIndex,
      Path catalog,
      long generation,
      CatalogReport report,
      String learned) {
    return new IndexMetadata(
        IndexSchema.VERSION,
        embedder.modelId(),
        embedder.weightsId(),
        embedder.pretrained(),
        dimension,
        IndexSchema.SIMILARITY.name(),
        vectorIndex,
        catalog.toAbsolutePath().normalize().toString(),
        generation,
        indexed,
        asMetadata(Math.toIntExact(report.rowsRead())),
        embedder.preprocessing(),
        learned);
  }

  /**
   * The summary of a run that made {@code generation} current.
   *
   * @param indexed the products the new generation holds, as counted after its commit
   * @param learned what the learned projection is and how it measured, or "" for none
   */
  public ReindexSummary summary(
      long generation,
      OptionalLong previous,
      CatalogReport report,
      int indexed,
      Duration elapsed,
      ImageEmbedder embedder,
      String learned) {
    return new ReindexSummary(
        generation,
        previous,
        Math.toIntExact(report.rowsRead()),
        indexed,
        embedded,
        fromCache,
        skipped(),
        report.summaryLines(),
        elapsed,
        embedder.modelId(),
        embedder.weightsId(),
        embedder.pretrained(),
        learned);
  }

  /** The counts as recorded in the index metadata, with the catalog's row count. */
  public Map<String, Integer> asMetadata(int rows) {
    Map<String, Integer> m = new TreeMap<>();
    m.put("catalog-rows", rows);
    m.put("embedded", embedded);
    m.put("from-cache", fromCache);
    skipped.forEach((k, v) -> m.put("skipped." + k, v));
    return m;
  }
}
