package com.fashionsearch.indexer;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.models.UnitLength;
import com.fashionsearch.models.learned.LabelProjection;
import com.fashionsearch.models.learned.ProjectionTrainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline reindex: reads a catalog, embeds every image (or takes its embedding from the cache),
 * writes a new index generation and makes it current only after it is committed and verified.
 *
 * <p>Reading, hashing and decoding images runs on a second thread while the network embeds the
 * previous batch. One bad row or image never aborts a run: it is counted by reason, unless {@code
 * strict}.
 *
 * <p>Not thread-safe: one run per instance; concurrent runs on one index folder are refused by the
 * folder's lock.
 */
public final class Reindexer {
  private static final Logger LOG = LoggerFactory.getLogger(Reindexer.class);

  private final ReindexOptions options;
  private final Supplier<ImageEmbedder> embedders;
  /** Tests: write a segment every this many documents (0: by RAM only, 512 MB). */
  private int flushEvery;
  private final ProgressListener progress;
  /** Tests: wraps the generation's directory, e.g. to fail writes as a full disk would. */
  private UnaryOperator<Directory> directoryWrapper = UnaryOperator.identity();

  /**
   * @param options what to index where
   * @param embedders creates the embedder (called once per run; the run closes it). A deferred one
   *     ({@link com.fashionsearch.models.Embedders#deferred}) builds its network only if an image
   *     is not in the embedding cache.
   * @param progress told of each product done
   */
  public Reindexer(
      ReindexOptions options, Supplier<ImageEmbedder> embedders, ProgressListener progress) {
    this.options = options;
    this.embedders = embedders;
    this.progress = progress;
  }

  /** Tests only: writes a segment every {@code documents} documents, to get several segments. */
  Reindexer flushEvery(int documents) {
    if (documents < 2) {
      throw new IllegalArgumentException("flushEvery must be at least 2, got: " + documents);
    }
    this.flushEvery = documents;
    return this;
  }

  /** Tests only: wraps the directory the generation is written through. */
  Reindexer wrapDirectory(UnaryOperator<Directory> wrapper) {
    this.directoryWrapper = wrapper;
    return this;
  }

  /**
   * Runs the reindex.
   *
   * @throws IllegalStateException when another reindex holds the folder, when {@code strict} meets a
   *     problem, when no product at all could be indexed, or when writing the generation or the
   *     embedding cache fails (a full disk, say); the current generation then stays, and the next
   *     run deletes the partial one
   */
  public ReindexSummary run() throws IOException {
    long started = System.nanoTime();
    Catalog catalog = new CatalogReader().read(options.catalog(), options.strict());
    IndexGenerations generations = new IndexGenerations(options.index());
    try (ReindexLock lock = generations.lockForReindex();
        ImageEmbedder embedder = embedders.get()) {
      if (!embedder.pretrained()) {
        LOG.warn(
            "model {} runs with UNTRAINED weights {}: the index will work, but its neighbours are"
                + " not visually meaningful",
            embedder.modelId(),
            embedder.weightsId());
      }
      buildUnlessCached(embedder, generations.cacheDir());
      // The number is taken before an interrupted run's folder is deleted, so that it is never
      // reused: a generation number always means one content.
      long generation = generations.next();
      for (long n : generations.deleteUnfinished()) {
        LOG.info("deleted generation {} left over by an interrupted reindex", n);
      }
      OptionalLong previous = generations.current();
      if (previous.isPresent()) {
        describeModelChange(generations.generationDir(previous.getAsLong()), embedder).ifPresent(LOG::warn);
      }
      Path dir = generations.generationDir(generation);
      ReindexCounts counts = new ReindexCounts();
      String learned;
      try (EmbeddingCache cache =
          EmbeddingCache.open(
              generations.cacheDir(),
              embedder.modelId(),
              embedder.weightsId(),
              embedder.preprocessing(),
              embedder.dimension())) {
        if (cache.truncatedBytes() > 0) {
          LOG.warn(
              "embedding cache {} ended in a partial record ({} bytes, from an interrupted run):"
                  + " cut off",
              cache.file(),
              cache.truncatedBytes());
        }
        LOG.info(
            "indexing {} products from {} into {} ({} embeddings cached)",
            catalog.products().size(),
            options.catalog(),
            dir,
            cache.size());
        counts.skipCatalogRows(catalog.report());
        try {
          learned = writeGeneration(catalog, embedder, cache, dir, generation, counts);
        } catch (IOException e) {
          throw new IllegalStateException(
              "cannot write generation " + generation + " to " + dir + ": " + e.getMessage() + "; "
                  + (previous.isPresent() ? "generation " + previous.getAsLong() + " stays current" : "no generation is current")
                  + ", and the next reindex deletes the partial folder",
              e);
        }
      }
      int indexed = verify(dir);
      if (indexed == 0) {
        throw new IllegalStateException(
            "no product of "
                + options.catalog()
                + " could be indexed (skipped: "
                + counts.skipped()
                + "); generation "
                + (previous.isPresent() ? previous.getAsLong() + " stays current" : "none written"));
      }
      generations.switchTo(generation);
      List<Long> deleted =
          generations.deleteAllBut(
              previous.isPresent() ? Optional.of(previous.getAsLong()) : Optional.empty());
      LOG.info("generation {} is current; deleted old generations {}", generation, deleted);
      return new ReindexSummary(
          generation,
          previous,
          Math.toIntExact(catalog.report().rowsRead()),
          indexed,
          counts.embedded(),
          counts.fromCache(),
          counts.skipped(),
          catalog.report().summaryLines(),
          Duration.ofNanos(System.nanoTime() - started),
          embedder.modelId(),
          embedder.weightsId(),
          embedder.pretrained(),
          learned);
    }
  }

  /**
   * {@code model changes from X to Y} when the generation in {@code previousDir} was built with
   * another model or weights than {@code embedder}'s, each with its vector dimension: the new
   * generation replaces it, and queries then need the new model. Empty when nothing changes or the
   * previous one cannot be read.
   */
  static Optional<String> describeModelChange(Path previousDir, ImageEmbedder embedder) {
    IndexMetadata before;
    try (FSDirectory d = FSDirectory.open(previousDir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      before = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read the previous generation's metadata in {}: {}", previousDir, e.toString());
      return Optional.empty();
    }
    if (before.modelId().equals(embedder.modelId()) && before.weightsId().equals(embedder.weightsId())) {
      return Optional.empty(); // the same network and weights give the same vectors
    }
    return Optional.of(
        "model changes from " + before.modelId() + " (weights " + before.weightsId() + ", " + before.dimension()
            + "-d) to " + embedder.modelId() + " (weights " + embedder.weightsId() + ", " + embedder.dimension()
            + "-d): the new generation replaces generation " + before.generation() + " once it is complete");
  }

  /**
   * Builds a deferred network now when the cache holds nothing for it (a first run: every image needs
   * it, and weights that cannot be built fail before any work). Otherwise it is built by the first
   * image that is not cached, if any: a rerun that finds every vector never builds it.
   */
  public static void buildUnlessCached(ImageEmbedder embedder, Path cacheDir) throws IOException {
    if (!EmbeddingCache.holdsRecords(
        cacheDir,
        embedder.modelId(),
        embedder.weightsId(),
        embedder.preprocessing(),
        embedder.dimension())) {
      embedder.ensureBuilt();
    }
  }

  /** Writes the generation; returns what its learned projection is, or "" for none. */
  private String writeGeneration(
      Catalog catalog,
      ImageEmbedder embedder,
      EmbeddingCache cache,
      Path dir,
      long generation,
      ReindexCounts counts)
      throws IOException {
    Files.createDirectories(dir);
    if (options.learn().mode() == LearnOptions.Mode.NONE) {
      VectorIndexOptions vectors = options.vectors().resolve(embedder.dimension());
      try (Directory directory = directoryWrapper.apply(FSDirectory.open(dir));
          IndexWriter writer = new IndexWriter(directory, writerConfig(vectors))) {
        embedAll(catalog, embedder, cache, counts,
            (product, vector) -> writer.addDocument(ProductDocuments.toDocument(product, vector)));
        commit(writer, generation, embedder, catalog, counts, vectors, embedder.dimension(), IndexMetadata.NOT_LEARNED);
      }
      return "";
    }
    // A projection is learned from every product's embedding (or taken from another index) before
    // any document is written, and the documents hold the projected vectors.
    List<Product> products = new ArrayList<>();
    List<float[]> embeddings = new ArrayList<>();
    embedAll(catalog, embedder, cache, counts, (product, vector) -> {
      products.add(product);
      embeddings.add(vector);
    });
    Optional<LabelProjection> projection =
        new ProjectionLearning(options.learn(), embedder).learn(products, embeddings, dir.resolve(LEARNED_DIR));
    int dimension = projection.map(LabelProjection::outputDimension).orElse(embedder.dimension());
    VectorIndexOptions vectors = options.vectors().resolve(dimension);
    try (Directory directory = directoryWrapper.apply(FSDirectory.open(dir));
        IndexWriter writer = new IndexWriter(directory, writerConfig(vectors))) {
      for (int i = 0; i < products.size(); i++) {
        float[] raw = embeddings.get(i);
        float[] vector = projection.isPresent() ? projection.get().apply(raw) : raw;
        writer.addDocument(ProductDocuments.toDocument(products.get(i), vector));
      }
      commit(writer, generation, embedder, catalog, counts, vectors, dimension,
          projection.map(p -> p.info().describe()).orElse(IndexMetadata.NOT_LEARNED));
    }
    return projection
        .map(p -> p.info().describe() + " from " + p.info().trainingProducts() + " products in "
            + String.format(Locale.ROOT, "%.1f s", p.info().seconds()) + "; held out: "
            + ProjectionTrainer.validationSummary(p.info()))
        .orElse("");
  }

  /** The folder of a generation that holds its learned projection, if it has one. */
  public static final String LEARNED_DIR = "learned";

  private IndexWriterConfig writerConfig(VectorIndexOptions vectors) {
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setCodec(new FashionCodec(vectors))
            .setIndexSort(IndexSchema.indexSort())
            .setRAMBufferSizeMB(512)
            .setCommitOnClose(false);
    if (flushEvery > 0) {
      config.setMaxBufferedDocs(flushEvery);
    }
    return config;
  }

  /** Where each indexed product's embedding goes. */
  @FunctionalInterface
  private interface Sink {
    void accept(Product product, float[] embedding) throws IOException;
  }

  /**
   * Embeds (or takes from the cache) every product's image, counting what is skipped, and hands each
   * usable embedding to {@code sink}; reading and decoding run on a second thread.
   */
  private void embedAll(
      Catalog catalog, ImageEmbedder embedder, EmbeddingCache cache, ReindexCounts counts, Sink sink)
      throws IOException {
    BlockingQueue<Object> batches = new ArrayBlockingQueue<>(2);
    Thread reader =
        Thread.ofPlatform()
            .name("reindex-image-reader")
            .daemon()
            .start(() -> readBatches(catalog.products(), cache, batches));
    progress.start("reindex", catalog.products().size());
    try {
      while (true) {
        Object next = takeInterruptibly(batches);
        if (next instanceof Failure failure) {
          throw failure.asException();
        }
        if (next == END) {
          break;
        }
        Batch batch = (Batch) next;
        embedAndWrite(batch, embedder, cache, sink, counts);
        progress.advance(batch.size());
      }
      cache.sync();
    } finally {
      reader.interrupt();
      progress.close();
    }
  }

  private void commit(
      IndexWriter writer,
      long generation,
      ImageEmbedder embedder,
      Catalog catalog,
      ReindexCounts counts,
      VectorIndexOptions vectors,
      int dimension,
      String learned)
      throws IOException {
    if (options.merge()) {
      long mergeStart = System.nanoTime();
      LOG.info("merging generation {} into one segment (one graph to walk per query)...", generation);
      writer.forceMerge(1);
      LOG.info("merged generation {} in {} s", generation, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - mergeStart) / 1e9));
    }
    IndexMetadata metadata =
        new IndexMetadata(
            IndexSchema.VERSION,
            embedder.modelId(),
            embedder.weightsId(),
            embedder.pretrained(),
            dimension,
            IndexSchema.SIMILARITY.name(),
            vectors.describe(),
            options.catalog().toAbsolutePath().normalize().toString(),
            generation,
            counts.indexed(),
            counts.asMetadata(Math.toIntExact(catalog.report().rowsRead())),
            embedder.preprocessing(),
            learned);
    writer.setLiveCommitData(metadata.toUserData().entrySet());
    writer.commit();
  }

  private void embedAndWrite(
      Batch batch, ImageEmbedder embedder, EmbeddingCache cache, Sink sink, ReindexCounts counts)
      throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    for (Item item : batch.items) {
      if (item.image != null) {
        images.add(item.image);
      }
    }
    float[][] computed = images.isEmpty() ? new float[0][] : embedder.embed(images);
    int next = 0;
    for (Item item : batch.items) {
      if (item.skipReason != null) {
        counts.skip(item.product, item.skipReason, item.detail, options.strict());
        continue;
      }
      float[] vector = item.cached;
      if (vector == null) {
        vector = computed[next++];
        cache.put(item.sha256, vector);
        counts.countEmbedded();
      } else {
        counts.countFromCache();
      }
      if (UnitLength.isZero(vector)) {
        counts.skip(item.product, "zero-embedding", "the image's features are all zero", options.strict());
        continue;
      }
      sink.accept(item.product, vector);
      counts.countIndexed();
    }
  }

  /** Runs on the reader thread: bytes, hash, cache lookup and decoding, a batch at a time. */
  private void readBatches(List<Product> products, EmbeddingCache cache, BlockingQueue<Object> out) {
    try {
      for (int from = 0; from < products.size(); from += options.batchSize()) {
        List<Product> slice = products.subList(from, Math.min(products.size(), from + options.batchSize()));
        Batch batch = new Batch(new ArrayList<>(slice.size()));
        for (Product product : slice) {
          batch.items.add(read(product, cache));
        }
        out.put(batch);
      }
      out.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      try {
        out.put(new Failure(e));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Item read(Product product, EmbeddingCache cache) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(product.image());
    } catch (IOException e) {
      return Item.skipped(product, "unreadable-image", product.image() + ": " + e);
    }
    String sha256 = EmbeddingCache.sha256Hex(bytes);
    float[] cached = cache.get(sha256);
    if (cached != null) {
      return new Item(product, sha256, cached, null, null, null);
    }
    try {
      BufferedImage image = ImageDecoder.decode(bytes, product.image().toString());
      return new Item(product, sha256, null, image, null, null);
    } catch (ImageRejectedException e) {
      return Item.skipped(product, "image-" + e.reason(), e.getMessage());
    }
  }

  private int verify(Path dir) throws IOException {
    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexMetadata.fromUserData(reader.getIndexCommit().getUserData()).requireSchema();
      return reader.numDocs();
    }
  }


  private static Object takeInterruptibly(BlockingQueue<Object> queue) throws IOException {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("reindex interrupted", e);
    }
  }

  private static final Object END = new Object();

  private record Batch(List<Item> items) {
    int size() {
      return items.size();
    }
  }

  private record Item(
      Product product,
      String sha256,
      float[] cached,
      BufferedImage image,
      String skipReason,
      String detail) {
    static Item skipped(Product product, String reason, String detail) {
      return new Item(product, null, null, null, reason, detail);
    }
  }

  private record Failure(Throwable error) {
    RuntimeException asException() {
      return error instanceof RuntimeException re
          ? re
          : new IllegalStateException("image reader failed", error);
    }
  }
}
