package com.fashionsearch.searcher;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.data.SharedTestFiles;
import com.fashionsearch.indexer.EmbeddingCache;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexOptions;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract suite's data: the real {@code fashion-1k} catalog from {@code ../shared} (see {@link
 * #sharedCatalog} for what its absence means), reindexed into a local Lucene index by the product's
 * own {@link Reindexer} with the cheap 4096-d {@link GrayGridEmbedder}, and every product's vector
 * read back from that index's embedding cache (which the Solr reindex reuses, so both backends hold
 * the same vectors). Immutable after {@link #build}; thread-safe to read.
 */
public final class ContractCatalog {
  private final Path catalogDir;
  private final Path indexDir;
  private final ReindexSummary summary;
  private final Map<String, Product> products;
  private final Map<String, float[]> vectors;

  private ContractCatalog(
      Path catalogDir,
      Path indexDir,
      ReindexSummary summary,
      Map<String, Product> products,
      Map<String, float[]> vectors) {
    this.catalogDir = catalogDir;
    this.indexDir = indexDir;
    this.summary = summary;
    this.products = Collections.unmodifiableMap(products);
    this.vectors = Collections.unmodifiableMap(vectors);
  }

  /**
   * The shared catalog folder {@code <fashion.shared>/data/fashion-1k}; when it is absent the
   * calling test fails under {@code CI=true} and is skipped elsewhere ({@link SharedTestFiles}).
   */
  public static Path sharedCatalog() {
    return SharedTestFiles.environment().catalog("fashion-1k");
  }

  /** Reindexes fashion-1k into {@code indexDir} and reads its vectors back. */
  public static ContractCatalog build(Path indexDir) throws IOException {
    Path catalogDir = sharedCatalog();
    ReindexSummary summary =
        new Reindexer(
                new ReindexOptions(catalogDir, indexDir, 64, false, VectorIndexOptions.RECOMMENDED),
                GrayGridEmbedder::new,
                ProgressListener.NONE)
            .run();
    Catalog catalog = new CatalogReader().read(catalogDir, false);
    Map<String, Product> products = new LinkedHashMap<>();
    Map<String, float[]> vectors = new LinkedHashMap<>();
    try (EmbeddingCache cache =
        EmbeddingCache.open(
            indexDir.resolve("cache"),
            "gray-grid",
            "none",
            "default",
            GrayGridEmbedder.DIMENSION)) {
      for (Product p : catalog.products()) {
        float[] v = cache.get(EmbeddingCache.sha256Hex(Files.readAllBytes(p.image())));
        if (v != null) {
          vectors.put(p.id(), v);
          products.put(p.id(), p);
        }
      }
    }
    if (vectors.size() != summary.indexed()) {
      throw new IllegalStateException(
          "the embedding cache holds "
              + vectors.size()
              + " of the "
              + summary.indexed()
              + " indexed products");
    }
    return new ContractCatalog(catalogDir, indexDir, summary, products, vectors);
  }

  /** The catalog folder. */
  public Path catalogDir() {
    return catalogDir;
  }

  /** The local index folder. */
  public Path indexDir() {
    return indexDir;
  }

  /** The local index's embedding cache, which a Solr reindex shares. */
  public Path cacheDir() {
    return indexDir.resolve("cache");
  }

  /** The local reindex's summary. */
  public ReindexSummary summary() {
    return summary;
  }

  /** The indexed products by id, in catalog order. */
  public Map<String, Product> products() {
    return products;
  }

  /** Their vectors by id. */
  public Map<String, float[]> vectors() {
    return vectors;
  }
}
