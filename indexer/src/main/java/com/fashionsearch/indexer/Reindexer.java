package com.fashionsearch.indexer;

import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.UnitLength;
import com.fashionsearch.models.learned.LabelProjection;
import com.fashionsearch.models.learned.ProjectionTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
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
 * <p>The images go through the {@link ReindexPipeline} (reading and decoding on a second thread
 * while the network embeds the previous batch) into a {@link LuceneDocumentSink}; with a learned
 * projection they are first kept, the projection learned from them, and then written projected. One
 * bad row or image never aborts a run: it is counted by reason, unless {@code strict}.
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
   * @throws IllegalStateException when another reindex holds the folder, when {@code strict} meets
   *     a problem, when no product at all could be indexed, or when writing the generation or the
   *     embedding cache fails (a full disk, say); the current generation then stays, and the next
   *     run deletes the partial one
   */
  public ReindexSummary run() throws IOException {
    long started = System.nanoTime();
    Catalog catalog = new CatalogReader().read(options.catalog(), options.strict());
    IndexGenerations generations = new IndexGenerations(options.index());
    try (ReindexLock lock = generations.lockForReindex();
        ImageEmbedder embedder = embedders.get()) {
      ReindexPipeline.prepare(embedder, generations.cacheDir(), "index");
      // The number is taken before an interrupted run's folder is deleted, so that it is never
      // reused: a generation number always means one content.
      long generation = generations.next();
      for (long n : generations.deleteUnfinished()) {
        LOG.info("deleted generation {} left over by an interrupted reindex", n);
      }
      OptionalLong previous = generations.current();
      if (previous.isPresent()) {
        describeModelChange(generations.generationDir(previous.getAsLong()), embedder)
            .ifPresent(LOG::warn);
      }
      Path dir = generations.generationDir(generation);
      ReindexCounts counts = new ReindexCounts();
      String learned;
      try (EmbeddingCache cache = ReindexPipeline.openCache(generations.cacheDir(), embedder)) {
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
              "cannot write generation "
                  + generation
                  + " to "
                  + dir
                  + ": "
                  + e.getMessage()
                  + "; "
                  + (previous.isPresent()
                      ? "generation " + previous.getAsLong() + " stays current"
                      : "no generation is current")
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
                + (previous.isPresent()
                    ? previous.getAsLong() + " stays current"
                    : "none written"));
      }
      generations.switchTo(generation);
      List<Long> deleted =
          generations.deleteAllBut(
              previous.isPresent() ? Optional.of(previous.getAsLong()) : Optional.empty());
      LOG.info("generation {} is current; deleted old generations {}", generation, deleted);
      return counts.summary(
          generation,
          previous,
          catalog.report(),
          indexed,
          Duration.ofNanos(System.nanoTime() - started),
          embedder,
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
      LOG.debug(
          "cannot read the previous generation's metadata in {}: {}", previousDir, e.toString());
      return Optional.empty();
    }
    if (before.modelId().equals(embedder.modelId())
        && before.weightsId().equals(embedder.weightsId())) {
      return Optional.empty(); // the same network and weights give the same vectors
    }
    return Optional.of(
        "model changes from "
            + before.modelId()
            + " (weights "
            + before.weightsId()
            + ", "
            + before.dimension()
            + "-d) to "
            + embedder.modelId()
            + " (weights "
            + embedder.weightsId()
            + ", "
            + embedder.dimension()
            + "-d): the new generation replaces generation "
            + before.generation()
            + " once it is complete");
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
    ReindexPipeline pipeline =
        new ReindexPipeline(embedder, options.batchSize(), options.strict(), progress);
    // without a projection the index holds the network's own embedding (UnitLength.leading)
    int visual = embedder.visualDimension();
    UnaryOperator<float[]> visualPart = v -> UnitLength.leading(v, visual);
    if (options.learn().mode() == LearnOptions.Mode.NONE) {
      VectorIndexOptions vectors = options.vectors().resolve(visual);
      try (Directory directory = directoryWrapper.apply(FSDirectory.open(dir));
          IndexWriter writer = new IndexWriter(directory, writerConfig(vectors))) {
        pipeline.run(
            "reindex",
            catalog.products(),
            cache,
            counts,
            new LuceneDocumentSink(writer, visualPart));
        commit(
            writer,
            generation,
            embedder,
            catalog,
            counts,
            vectors,
            visual,
            IndexMetadata.NOT_LEARNED);
      }
      cluster(dir);
      return "";
    }
    // A projection is learned from every product's embedding (or taken from another index) before
    // any document is written, and the documents hold the projected vectors.
    List<EmbeddedProduct> embedded = new ArrayList<>();
    pipeline.run("reindex", catalog.products(), cache, counts, embedded::addAll);
    Optional<LabelProjection> projection =
        new ProjectionLearning(options.learn(), embedder)
            .learn(
                embedded.stream().map(EmbeddedProduct::product).toList(),
                embedded.stream().map(EmbeddedProduct::vector).toList(),
                dir.resolve(LEARNED_DIR));
    int dimension = projection.map(LabelProjection::outputDimension).orElse(visual);
    VectorIndexOptions vectors = options.vectors().resolve(dimension);
    try (Directory directory = directoryWrapper.apply(FSDirectory.open(dir));
        IndexWriter writer = new IndexWriter(directory, writerConfig(vectors))) {
      UnaryOperator<float[]> transform =
          projection.isPresent() ? projection.get()::apply : visualPart;
      new LuceneDocumentSink(writer, transform).accept(embedded);
      commit(
          writer,
          generation,
          embedder,
          catalog,
          counts,
          vectors,
          dimension,
          projection.map(p -> p.info().describe()).orElse(IndexMetadata.NOT_LEARNED));
    }
    cluster(dir);
    return projection
        .map(
            p ->
                p.info().describe()
                    + " from "
                    + p.info().trainingProducts()
                    + " products in "
                    + String.format(Locale.ROOT, "%.1f s", p.info().seconds())
                    + "; held out: "
                    + ProjectionTrainer.validationSummary(p.info()))
        .orElse("");
  }

  /**
   * Clusters the committed generation's vectors into {@link VectorClusters#FILE}, when they can be
   * (one segment, a vector in every document): filtered queries then probe the clusters nearest the
   * query. The generation is not current yet, so a run killed here leaves nothing behind.
   */
  private void cluster(Path dir) throws IOException {
    try (Directory directory = directoryWrapper.apply(FSDirectory.open(dir));
        DirectoryReader reader = DirectoryReader.open(directory)) {
      Optional<VectorClusters> clusters = VectorClusters.build(reader, IndexSchema.VECTOR);
      if (clusters.isPresent()) {
        clusters.get().write(dir);
      }
    }
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
      LOG.info(
          "merging generation {} into one segment (one graph to walk per query)...", generation);
      writer.forceMerge(1);
      LOG.info(
          "merged generation {} in {} s",
          generation,
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - mergeStart) / 1e9));
    }
    IndexMetadata metadata =
        counts.metadata(
            embedder,
            dimension,
            vectors.describe(),
            options.catalog(),
            generation,
            catalog.report(),
            learned);
    writer.setLiveCommitData(metadata.toUserData().entrySet());
    writer.commit();
  }

  private int verify(Path dir) throws IOException {
    try (FSDirectory directory = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexMetadata.fromUserData(reader.getIndexCommit().getUserData()).requireSchema();
      return reader.numDocs();
    }
  }
}
