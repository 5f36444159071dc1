package com.fashionsearch.solr;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.EmbeddingCache;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexCounts;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.models.UnitLength;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrInputDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reindex into SolrCloud: reads a catalog, takes each image's embedding from the embedding cache
 * (the same cache the local backend fills) or embeds it here, writes every product into a new
 * collection generation {@code <alias>_g<N>} in batches, commits, checks the count, and only then
 * points the alias at it. The previous generation is kept for rollback; older ones are deleted. A run
 * that dies before the switch leaves the alias where it was, and the next run deletes its collection.
 *
 * <p>The embedding runs here, in the indexer's JVM (CPU or GPU), never inside Solr.
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
   * @param embedders creates the embedder (once per run; the run closes it); a deferred one builds its
   *     network only if an image is not in the embedding cache
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
   * @throws IllegalStateException when {@code strict} meets a problem or no product could be indexed;
   *     the alias then stays where it was
   * @throws IOException when the cluster fails a request (the alias stays where it was)
   */
  public ReindexSummary run() throws IOException {
    long started = System.nanoTime();
    Catalog catalog = new CatalogReader().read(options.catalog(), options.strict());
    try (ImageEmbedder embedder = embedders.get()) {
      if (!embedder.pretrained()) {
        LOG.warn(
            "model {} runs with UNTRAINED weights {}: the collection will work, but its neighbours are"
                + " not visually meaningful",
            embedder.modelId(),
            embedder.weightsId());
      }
      Reindexer.buildUnlessCached(embedder, options.cacheDir());
      OptionalLong previous = generations.current();
      List<Long> existing = generations.existing();
      long generation =
          Math.max(previous.orElse(0), existing.isEmpty() ? 0 : existing.get(existing.size() - 1)) + 1;
      for (long n : existing) {
        if (previous.isEmpty() || n > previous.getAsLong()) {
          generations.delete(n);
          LOG.info("deleted collection {} left over by an interrupted reindex", generations.collection(n));
        }
      }
      String collection = generations.collection(generation);
      generations.create(generation, options.shards(), options.replicas(), embedder.dimension());
      LOG.info(
          "indexing {} products from {} into collection {} ({} shards x {} replicas)",
          catalog.products().size(),
          options.catalog(),
          collection,
          options.shards(),
          options.replicas());
      ReindexCounts counts = new ReindexCounts();
      counts.skipCatalogRows(catalog.report());
      try (EmbeddingCache cache =
          EmbeddingCache.open(
              options.cacheDir(),
              embedder.modelId(),
              embedder.weightsId(),
              embedder.preprocessing(),
              embedder.dimension())) {
        write(catalog.products(), embedder, cache, collection, counts);
        cache.sync();
      }
      IndexMetadata metadata =
          new IndexMetadata(
              IndexSchema.VERSION,
              embedder.modelId(),
              embedder.weightsId(),
              embedder.pretrained(),
              embedder.dimension(),
              IndexSchema.SIMILARITY.name(),
              "solr hnsw m=16 beam=100 shards=" + options.shards() + " replicas=" + options.replicas(),
              options.catalog().toAbsolutePath().normalize().toString(),
              generation,
              counts.indexed(),
              counts.asMetadata(Math.toIntExact(catalog.report().rowsRead())),
              embedder.preprocessing());
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
                + (previous.isPresent() ? generations.collection(previous.getAsLong()) : "nothing"));
      }
      generations.switchTo(generation);
      List<Long> deleted = new ArrayList<>();
      for (long n : generations.existing()) {
        if (n != generation && (previous.isEmpty() || n != previous.getAsLong())) {
          generations.delete(n);
          deleted.add(n);
        }
      }
      LOG.info("alias {} now points to {}; deleted old generations {}", generations.alias(), collection, deleted);
      return new ReindexSummary(
          generation,
          previous,
          Math.toIntExact(catalog.report().rowsRead()),
          counts.indexed(),
          counts.embedded(),
          counts.fromCache(),
          counts.skipped(),
          catalog.report().summaryLines(),
          Duration.ofNanos(System.nanoTime() - started),
          embedder.modelId(),
          embedder.weightsId(),
          embedder.pretrained());
    }
  }

  private void write(
      List<Product> products, ImageEmbedder embedder, EmbeddingCache cache, String collection, ReindexCounts counts)
      throws IOException {
    progress.start("reindex into " + collection, products.size());
    try {
      for (int from = 0; from < products.size(); from += options.batchSize()) {
        List<Product> slice = products.subList(from, Math.min(products.size(), from + options.batchSize()));
        List<SolrInputDocument> docs = embedBatch(slice, embedder, cache, counts);
        if (!docs.isEmpty()) {
          try {
            client.add(collection, docs);
          } catch (SolrServerException | RuntimeException e) {
            throw new IOException(
                "collection " + collection + " refused a batch of " + docs.size() + " products: " + e.getMessage(), e);
          }
        }
        progress.advance(slice.size());
      }
    } finally {
      progress.close();
    }
  }

  private List<SolrInputDocument> embedBatch(
      List<Product> slice, ImageEmbedder embedder, EmbeddingCache cache, ReindexCounts counts) throws IOException {
    record Item(Product product, String sha256, float[] cached, BufferedImage image) {}
    List<Item> items = new ArrayList<>();
    List<BufferedImage> toEmbed = new ArrayList<>();
    for (Product product : slice) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(product.image());
      } catch (IOException e) {
        counts.skip(product, "unreadable-image", product.image() + ": " + e, options.strict());
        continue;
      }
      String sha256 = EmbeddingCache.sha256Hex(bytes);
      float[] cached = cache.get(sha256);
      if (cached != null) {
        items.add(new Item(product, sha256, cached, null));
        continue;
      }
      try {
        BufferedImage image = ImageDecoder.decode(bytes, product.image().toString());
        items.add(new Item(product, sha256, null, image));
        toEmbed.add(image);
      } catch (ImageRejectedException e) {
        counts.skip(product, "image-" + e.reason(), e.getMessage(), options.strict());
      }
    }
    float[][] computed = toEmbed.isEmpty() ? new float[0][] : embedder.embed(toEmbed);
    int next = 0;
    List<SolrInputDocument> docs = new ArrayList<>();
    for (Item item : items) {
      float[] vector = item.cached();
      if (vector == null) {
        vector = computed[next++];
        cache.put(item.sha256(), vector);
        counts.countEmbedded();
      } else {
        counts.countFromCache();
      }
      if (UnitLength.isZero(vector)) {
        counts.skip(item.product(), "zero-embedding", "the image's features are all zero", options.strict());
        continue;
      }
      docs.add(SolrProductDocuments.toDocument(item.product(), vector));
      counts.countIndexed();
    }
    return docs;
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
