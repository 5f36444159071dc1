package com.fashionsearch.solr;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.indexer.EmbeddingCache;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexCounts;
import com.fashionsearch.indexer.ReindexPipeline;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.models.ImageEmbedder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reindex into SolrCloud: reads a catalog, takes each image's embedding from the embedding
 * cache (the same cache the local backend fills) or embeds it here, writes every product into a new
 * collection generation {@code <alias>_g<N>} in batches, commits, checks the count, and only then
 * points the alias at it. The previous generation is kept for rollback; older ones are deleted. A
 * run that dies before the switch leaves the alias where it was, and the next run deletes its
 * collection.
 *
 * <p>The embedding runs here, in the indexer's JVM (CPU or GPU), never inside Solr: the images go
 * through the indexer's {@link ReindexPipeline} into a {@link SolrDocumentSink}, one update request
 * per batch.
 *
 * <p>Not thread-safe: one run per instance, and one run at a time per alias.
 */
public final class SolrReindexer {
  private static final Logger LOG = LoggerFactory.getLogger(SolrReindexer.class);

  private final SolrReindexOptions options;
  private final SolrClient client;
  private final SolrGenerations generations;
  private final Supplier<ImageEmbedder> embedders;
  private final ProgressListener progress;

  /**
   * @param options what to index, and how the collection is laid out
   * @param client a cloud client of the cluster (not closed here)
   * @param alias the catalog's alias
   * @param embedders creates the embedder (once per run; the run closes it); a deferred one builds
   *     its network only if an image is not in the embedding cache
   * @param progress told of each batch done
   */
  public SolrReindexer(
      SolrReindexOptions options,
      SolrClient client,
      String alias,
      Supplier<ImageEmbedder> embedders,
      ProgressListener progress) {
    this.options = options;
    this.client = client;
    this.generations = new SolrGenerations(client, alias);
    this.embedders = embedders;
    this.progress = progress;
  }

  /**
   * Runs the reindex.
   *
   * @throws IllegalStateException when {@code strict} meets a problem or no product could be
   *     indexed; the alias then stays where it was
   * @throws IOException when the cluster fails a request (the alias stays where it was)
   */
  public ReindexSummary run() throws IOException {
    long started = System.nanoTime();
    Catalog catalog = new CatalogReader().read(options.catalog(), options.strict());
    try (ImageEmbedder embedder = embedders.get()) {
      ReindexPipeline.prepare(embedder, options.cacheDir(), "collection");
      OptionalLong previous = generations.current();
      List<Long> existing = generations.existing();
      long generation =
          Math.max(previous.orElse(0), existing.isEmpty() ? 0 : existing.get(existing.size() - 1))
              + 1;
      for (long n : existing) {
        if (previous.isEmpty() || n > previous.getAsLong()) {
          generations.delete(n);
          LOG.info(
              "deleted collection {} left over by an interrupted reindex",
              generations.collection(n));
        }
      }
      String collection = generations.collection(generation);
      // a collection holds the network's own embedding (no learned projection on Solr)
      int dimension = embedder.visualDimension();
      generations.create(generation, options.shards(), options.replicas(), dimension);
      LOG.info(
          "indexing {} products from {} into collection {} ({} shards x {} replicas)",
          catalog.products().size(),
          options.catalog(),
          collection,
          options.shards(),
          options.replicas());
      ReindexCounts counts = new ReindexCounts();
      counts.skipCatalogRows(catalog.report());
      try (EmbeddingCache cache = ReindexPipeline.openCache(options.cacheDir(), embedder)) {
        new ReindexPipeline(embedder, options.batchSize(), options.strict(), progress)
            .run(
                "reindex into " + collection,
                catalog.products(),
                cache,
                counts,
                new SolrDocumentSink(client, collection, dimension));
      }
      IndexMetadata metadata =
          counts.metadata(
              embedder,
              dimension,
              "solr hnsw m=16 beam=100 shards="
                  + options.shards()
                  + " replicas="
                  + options.replicas(),
              options.catalog(),
              generation,
              catalog.report(),
              IndexMetadata.NOT_LEARNED);
      long indexed = commitAndCount(collection, metadata);
      if (indexed == 0 || indexed != counts.indexed()) {
        throw new IllegalStateException(
            "collection "
                + collection
                + " holds "
                + indexed
                + " products after commit, expected "
                + counts.indexed()
                + " (skipped: "
                + counts.skipped()
                + "); the alias stays on "
                + (previous.isPresent()
                    ? generations.collection(previous.getAsLong())
                    : "nothing"));
      }
      generations.switchTo(generation);
      List<Long> deleted = new ArrayList<>();
      for (long n : generations.existing()) {
        if (n != generation && (previous.isEmpty() || n != previous.getAsLong())) {
          generations.delete(n);
          deleted.add(n);
        }
      }
      LOG.info(
          "alias {} now points to {}; deleted old generations {}",
          generations.alias(),
          collection,
          deleted);
      return counts.summary(
          generation,
          previous,
          catalog.report(),
          counts.indexed(),
          Duration.ofNanos(System.nanoTime() - started),
          embedder,
          "");
    }
  }

  private long commitAndCount(String collection, IndexMetadata metadata) throws IOException {
    try {
      client.add(collection, SolrProductDocuments.metadataDocument(metadata));
      client.commit(collection, true, true);
      SolrQuery count = new SolrQuery("*:*").addFilterQuery(SolrSchema.PRODUCTS_ONLY).setRows(0);
      return client.query(collection, count).getResults().getNumFound();
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException("cannot commit collection " + collection + ": " + e.getMessage(), e);
    }
  }
}
