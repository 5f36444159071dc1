package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.VectorClusters;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.learned.LabelProjection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOFunction;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened index generation: its reader, a shared {@link IndexSearcher} and its metadata. The
 * reader is reference counted: the holder keeps one reference while the generation is current, and
 * each query takes one for its duration ({@link #tryAcquire()} / {@link #release()}); the reader
 * and its directory close when the last reference goes. Thread-safe.
 */
final class OpenGeneration {
  private static final Logger LOG = LoggerFactory.getLogger(OpenGeneration.class);

  final long generation;
  final DirectoryReader reader;
  final IndexSearcher searcher;
  final IndexMetadata metadata;
  final IndexInfo info;

  /** How queries reach the generation's raw vectors and BBQ codes: chosen when it opens. */
  final VectorAccess vectors;

  /** True when the graph holds quantized vectors: its scores are approximate and need rescoring. */
  final boolean quantized;

  /**
   * Whether the generation's files were mapped into memory whole when it opened ({@link
   * #preloads}).
   */
  final boolean preloaded;

  /**
   * A generation is preloaded when its files take at most this share of the machine's memory: a
   * larger one would push other pages out, and is left to be mapped page by page as queries read
   * it.
   */
  static final double PRELOAD_MAX_MEMORY_SHARE = 0.5;

  /** At most this many filters' choices are kept; past it the cache starts again empty. */
  static final int MAX_FILTER_CHOICES = 4096;

  /** A filter matching at most this many documents keeps their list in its {@link FilterChoice}. */
  static final int MAX_LISTED_MATCHES = 512;

  /**
   * How a k-NN query under a filter runs on this generation: how many documents the filter matches,
   * whether the quantized vectors it matches are scanned instead of walked, otherwise the walk's
   * patience (0: none), and, for a filter matching at most {@value #MAX_LISTED_MATCHES} documents,
   * the matching live documents themselves (ascending top-level doc ids; null otherwise), which a
   * query then scores exactly without running the filter again. At most {@value
   * #MAX_FILTER_CHOICES} choices of 2 KB each: 8 MB. On a generation with clusters, a broader
   * filter's matches grouped by cluster ({@code grouped}, null when {@link #MAX_GROUPED_BYTES} is
   * spent), from which a query takes its candidates without running the filter.
   */
  record FilterChoice(
      int matching, boolean scan, int walkPatience, int[] docs, ClusterProbe.Grouped grouped) {
    FilterChoice {
      if (docs != null && docs.length != matching) {
        throw new IllegalArgumentException(
            "a filter matching " + matching + " documents listed " + docs.length);
      }
      if (grouped != null && grouped.docs().length != matching) {
        throw new IllegalArgumentException(
            "a filter matching " + matching + " documents grouped " + grouped.docs().length);
      }
    }

    /** A choice without its matches grouped by cluster. */
    FilterChoice(int matching, boolean scan, int walkPatience, int[] docs) {
      this(matching, scan, walkPatience, docs, null);
    }

    /** A choice without the list of matching documents. */
    FilterChoice(int matching, boolean scan, int walkPatience) {
      this(matching, scan, walkPatience, null, null);
    }
  }

  /**
   * The filters' matches grouped by cluster ({@link FilterChoice#grouped}) take at most this many
   * bytes in all; past it a filter's matches are found and grouped again by each query.
   */
  static final long MAX_GROUPED_BYTES = 64L << 20;

  private final AtomicLong groupedBytes = new AtomicLong();

  /**
   * Takes {@code bytes} of the {@link #MAX_GROUPED_BYTES} budget for a filter's grouped matches;
   * false, taking nothing, when they do not fit.
   */
  boolean reserveGroupedBytes(long bytes) {
    long before;
    do {
      before = groupedBytes.get();
      if (before + bytes > MAX_GROUPED_BYTES) {
        return false;
      }
    } while (!groupedBytes.compareAndSet(before, before + bytes));
    return true;
  }

  private final Map<Query, FilterChoice> filterChoices = new ConcurrentHashMap<>();

  /** The learned projection the generation's vectors went through, if any. */
  final Optional<LabelProjection> projection;

  /**
   * The clusters of the generation's vectors ({@link VectorClusters#FILE}), which filtered queries
   * probe; empty when it has none or they cannot be read (queries then scan or walk).
   */
  final Optional<ClusterProbe> clusters;

  private OpenGeneration(
      long generation,
      DirectoryReader reader,
      IndexMetadata metadata,
      Optional<LabelProjection> projection,
      Optional<ClusterProbe> clusters,
      Executor executor,
      boolean preloaded,
      VectorAccess vectors) {
    this.generation = generation;
    this.clusters = clusters;
    this.vectors = vectors;
    this.projection = projection;
    this.preloaded = preloaded;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader, executor);
    this.metadata = metadata;
    this.quantized = VectorIndexOptions.parse(metadata.vectorIndex()).quantized();
    this.info =
        new IndexInfo(
            generation,
            reader.numDocs(),
            metadata.modelId(),
            metadata.weightsId(),
            metadata.pretrained(),
            metadata.dimension(),
            metadata.catalog(),
            metadata.learned());
  }

  /**
   * An embedding made by the index's model (an uploaded image's, before any projection) as a vector
   * of this generation's space: through its learned projection, if it has one.
   *
   * @throws IllegalArgumentException for an embedding of the wrong dimension
   */
  float[] toIndexSpace(float[] embedding) {
    Objects.requireNonNull(embedding, "embedding");
    float[] vector =
        projection.isPresent()
            ? projection.get().apply(embedding)
            : QueryImageEncoders.visualPart(embedding, metadata);
    QueryImageEncoders.requireDimension(metadata, vector);
    return vector;
  }

  /**
   * The product ids of {@code docs} (top-level doc ids in any order), position by position: one
   * doc-values iterator per segment, advanced in doc order, instead of one per document.
   */
  String[] idsOf(int[] docs) throws IOException {
    long[] byDoc = new long[docs.length];
    for (int i = 0; i < docs.length; i++) {
      byDoc[i] = ((long) docs[i] << 32) | i;
    }
    java.util.Arrays.sort(byDoc);
    String[] ids = new String[docs.length];
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = null;
    SortedSetDocValues values = null;
    for (long packed : byDoc) {
      int doc = (int) (packed >>> 32);
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        values = DocValues.getSortedSet(leaf.reader(), IndexSchema.ID);
      }
      if (!values.advanceExact(doc - leaf.docBase)) {
        throw new IllegalStateException(
            "document " + doc + " of generation " + generation + " has no id");
      }
      ids[(int) packed] = values.lookupOrd(values.nextOrd()).utf8ToString();
    }
    return ids;
  }

  /** The product id of document {@code doc}. */
  String idOf(int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    SortedSetDocValues ids = DocValues.getSortedSet(leaf.reader(), IndexSchema.ID);
    if (!ids.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException(
          "document " + doc + " of generation " + generation + " has no id");
    }
    return ids.lookupOrd(ids.nextOrd()).utf8ToString();
  }

  /**
   * Opens generation {@code generation} in {@code dir} and checks its schema version.
   *
   * @param executor runs a query's work on several segments at once (a graph walk searches each
   *     segment in a task of its own); null: the caller's thread only
   * @throws IllegalStateException when the index has another schema version or no metadata
   */
  static OpenGeneration open(long generation, Path dir, Executor executor) throws IOException {
    return open(generation, dir, executor, true);
  }

  /**
   * As {@link #open(long, Path, Executor)}; {@code allowLuceneInternals} false reads vectors
   * through Lucene's public API only ({@link VectorAccess#select}).
   */
  static OpenGeneration open(
      long generation, Path dir, Executor executor, boolean allowLuceneInternals)
      throws IOException {
    Directory directory = FSDirectory.open(dir);
    long bytes = sizeOf(dir);
    boolean preload = directory instanceof MMapDirectory && preloads(bytes, physicalMemory());
    if (preload) {
      ((MMapDirectory) directory).setPreload(MMapDirectory.ALL_FILES);
    }
    LOG.info(
        "opening index generation {} ({} MB){}",
        generation,
        bytes >> 20,
        preload ? ", preloaded into memory" : "");
    DirectoryReader reader = null;
    try {
      reader = DirectoryReader.open(directory);
      IndexMetadata metadata = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
      metadata.requireSchema();
      Optional<LabelProjection> projection = Optional.empty();
      if (metadata.isLearned()) {
        projection = Optional.of(LabelProjection.load(dir.resolve(Reindexer.LEARNED_DIR)));
        LOG.info(
            "generation {}: queries go through the learned projection {}",
            generation,
            metadata.learned());
      }
      VectorAccess.Selection access = VectorAccess.select(reader, allowLuceneInternals);
      LOG.info(
          "generation {}: vectors read through {}: {}",
          generation,
          access.access(),
          access.reason());
      Optional<ClusterProbe> clusters = clusters(generation, dir, reader, metadata);
      reader.getReaderCacheHelper().addClosedListener(key -> directory.close());
      return new OpenGeneration(
          generation, reader, metadata, projection, clusters, executor, preload, access.access());
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        IOUtils.closeWhileHandlingException(reader);
      }
      IOUtils.closeWhileHandlingException(directory);
      throw e;
    }
  }

  /**
   * The clusters of generation {@code generation}'s vectors, when it has them and they belong to
   * its one segment; a damaged file is named in the log and left unused, which costs filtered
   * queries speed, not answers.
   */
  private static Optional<ClusterProbe> clusters(
      long generation, Path dir, DirectoryReader reader, IndexMetadata metadata) {
    if (!Files.exists(dir.resolve(VectorClusters.FILE))) {
      return Optional.empty();
    }
    if (reader.leaves().size() != 1) {
      LOG.warn(
          "generation {}: its vector clusters are not used: it has {} segments, not one",
          generation,
          reader.leaves().size());
      return Optional.empty();
    }
    try {
      ClusterProbe probe =
          new ClusterProbe(VectorClusters.read(dir, reader.maxDoc(), metadata.dimension()));
      LOG.info(
          "generation {}: filtered queries probe the {} clusters of its vectors",
          generation,
          probe.clusters());
      return Optional.of(probe);
    } catch (IOException e) {
      LOG.warn(
          "generation {}: its vector clusters are not used: {} (run fashion index check)",
          generation,
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Whether an index of {@code indexBytes} is preloaded on a machine with {@code memoryBytes}
   * ({@link #PRELOAD_MAX_MEMORY_SHARE}; unknown memory, 0 or less: no).
   *
   * <p>Preloading maps every page of the index into the process when the generation opens, before
   * it serves (a reload opens the next generation while the current one answers). Otherwise each
   * query maps the pages it reads for the first time: on the benchmark's 44,000 x 4096-d index (715
   * MB), the first 200 unfiltered queries of a new process took a p50 of 3.2 ms, and 1.3 ms
   * preloaded (docs/benchmarks-history.md, "Rescoring in place, preloaded generations").
   */
  static boolean preloads(long indexBytes, long memoryBytes) {
    return memoryBytes > 0 && indexBytes <= PRELOAD_MAX_MEMORY_SHARE * memoryBytes;
  }

  private static long sizeOf(Path dir) throws IOException {
    long bytes = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        if (Files.isRegularFile(file)) {
          bytes += Files.size(file);
        }
      }
    }
    return bytes;
  }

  /** The machine's physical memory in bytes, or 0 when the JVM cannot tell. */
  static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  /**
   * The choice for {@code filter}, made by {@code choose} (with the tuning of the one searcher that
   * opened this generation) the first time and kept for the life of the generation, whose documents
   * never change. Filters repeat (they come from the page's menus), and choosing walks the filter's
   * postings once or twice.
   */
  FilterChoice filterChoice(Query filter, IOFunction<Query, FilterChoice> choose)
      throws IOException {
    FilterChoice choice = filterChoices.get(filter);
    if (choice == null) {
      choice = choose.apply(filter);
      if (filterChoices.size() >= MAX_FILTER_CHOICES) {
        filterChoices.clear();
        groupedBytes.set(0);
      }
      filterChoices.put(filter, choice);
    }
    return choice;
  }

  /** How many filters' choices are kept now. */
  int filterChoiceCount() {
    return filterChoices.size();
  }

  /**
   * Takes a reference; false when the reader is already closed (the caller retries on the new
   * current).
   */
  boolean tryAcquire() {
    return reader.tryIncRef();
  }

  /** Gives a reference back. */
  void release() {
    try {
      reader.decRef();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot close index generation " + generation, e);
    }
  }
}
