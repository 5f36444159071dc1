package com.fashionsearch.bench;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.ProductDocuments;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.searcher.EmbedderFactory;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.ScoredId;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.Sort;
import org.apache.lucene.store.FSDirectory;

/**
 * Filtered k-NN at full catalog size: a deterministic synthetic catalog of clustered, non-negative
 * unit vectors ({@link SyntheticVectors}) with the dataset's attribute mix ({@link
 * SyntheticAttributes}; a cluster mostly holds one kind of article, as images of one kind look
 * alike), indexed as {@code fashion reindex} does, then queried through {@link
 * LuceneProductSearcher} under each filter and each {@link KnnTuning}. Prints one line per
 * (strategy, filter):
 *
 * <pre>
 * query strategy=.. filter=.. matching=.. selectivity=.. recall@10=.. p50_ms=.. p99_ms=.. qps=.. ids_p50_ms=..
 * </pre>
 *
 * Recall is against the exact top 10 of the filtered set, by brute force over the same vectors;
 * {@code qps} is one thread's throughput. The index is kept in the work folder and reused by the
 * next run with the same size and seed. The base and query vectors are also written as {@code
 * .fvecs} for a peer. Not thread-safe; run one at a time.
 */
public final class FilteredKnnBenchmark {
  /** A named filter. */
  public record NamedFilter(String name, SearchFilters filters) {}

  /** A named query strategy. */
  public record Strategy(String name, KnnTuning tuning) {}

  /**
   * One measured line. {@code p50Ms}, {@code p99Ms} and {@code qps} are of {@link
   * ProductSearcher#similarToVector}, which loads the page's catalog entries; {@code idsP50Ms} is
   * the p50 of {@link LuceneProductSearcher#nearestIds} over the same queries, which returns the
   * same ids and scores only (NaN for another searcher).
   */
  public record Measurement(
      String strategy,
      String filter,
      int matching,
      double selectivity,
      double recall,
      double p50Ms,
      double p99Ms,
      double qps,
      double idsP50Ms) {}

  /**
   * What a run measured, where its {@code .fvecs} files are, and the row numbers of {@code
   * base.fvecs} (0-based, ascending: the product ids) that each filter matches, by filter name.
   */
  public record Report(
      Path dataDir, List<Measurement> measurements, Map<String, int[]> matchingRows) {}

  private static final double SAME_KIND = 0.8;

  private final int n;
  private final int dimension;
  private final int queries;
  private final int warmup;
  private final long seed;
  private final PrintStream out;
  private final PrintStream progress;
  private boolean forceMerge;
  private int threads = LuceneProductSearcher.DEFAULT_THREADS;
  private VectorIndexOptions indexOptions = VectorIndexOptions.DEFAULT;

  /**
   * @param n products indexed
   * @param dimension vector dimension
   * @param queries queries measured per (strategy, filter)
   * @param warmup queries run first, unmeasured
   * @param seed the seed of vectors and attributes
   * @param out where the result lines go
   * @param progress where progress goes
   */
  public FilteredKnnBenchmark(
      int n,
      int dimension,
      int queries,
      int warmup,
      long seed,
      PrintStream out,
      PrintStream progress) {
    if (n < 100 || dimension < 2 || queries < 1 || warmup < 0) {
      throw new IllegalArgumentException(
          "need n >= 100, dimension >= 2, queries >= 1, warmup >= 0; got: "
              + n
              + ", "
              + dimension
              + ", "
              + queries
              + ", "
              + warmup);
    }
    this.n = n;
    this.dimension = dimension;
    this.queries = queries;
    this.warmup = warmup;
    this.seed = seed;
    this.out = out;
    this.progress = progress;
  }

  /**
   * Merges the index into one segment before querying (one graph to walk instead of one per
   * segment).
   *
   * @return this
   */
  public FilteredKnnBenchmark forceMerge(boolean merge) {
    this.forceMerge = merge;
    return this;
  }

  /**
   * Queries with {@code threads} threads per query, as {@link LuceneProductSearcher#open(Path,
   * EmbedderFactory, KnnTuning, int)} (default: {@link LuceneProductSearcher#DEFAULT_THREADS}).
   *
   * @return this
   */
  public FilteredKnnBenchmark threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got: " + threads);
    }
    this.threads = threads;
    return this;
  }

  /**
   * Indexes the vectors with these options (graph parameters, quantization) instead of {@code
   * fashion reindex}'s defaults; each quantization gets its own index in the work folder.
   *
   * @return this
   */
  public FilteredKnnBenchmark indexOptions(VectorIndexOptions options) {
    this.indexOptions = options.resolve(dimension);
    return this;
  }

  /**
   * The filters measured by default: single attributes and combinations, from 100% to about 0.1%.
   */
  public static List<NamedFilter> defaultFilters() {
    return List.of(
        parseFilter("none"),
        parseFilter("masterCategory=Apparel"),
        parseFilter("gender=Women"),
        parseFilter("masterCategory=Footwear"),
        parseFilter("articleType=Tshirts"),
        parseFilter("gender=Men,articleType=Tshirts"),
        parseFilter("masterCategory=Apparel,yearFrom=2012,yearTo=2013"),
        parseFilter("baseColour=Red"),
        parseFilter("articleType=Watches"),
        parseFilter("gender=Women,masterCategory=Footwear,baseColour=Black"),
        parseFilter("gender=Men,articleType=Casual Shoes,baseColour=Brown"),
        parseFilter("gender=Women,articleType=Heels,baseColour=Red"),
        parseFilter("gender=Boys,masterCategory=Footwear"),
        parseFilter("gender=Men,articleType=Sports Shoes,baseColour=Grey,season=Summer"));
  }

  /** The strategies compared by default. */
  public static List<Strategy> defaultStrategies(int n) {
    return List.of(
        new Strategy("default", KnnTuning.DEFAULT),
        new Strategy("k150-filtered-strategy", KnnTuning.WALK_ONLY.withFilteredSearchThreshold(60)),
        new Strategy("k100-walk-only", KnnTuning.WALK_ONLY.withMinCandidates(100)),
        new Strategy(
            "k150-scan-below-50pct-x2",
            KnnTuning.WALK_ONLY.withOversample(2).withScanBelowPercent(50)));
  }

  /**
   * Parses {@code none} or {@code attribute=value,...} (also {@code yearFrom=}, {@code yearTo=}).
   */
  public static NamedFilter parseFilter(String spec) {
    String s = spec.strip();
    if (s.equals("none")) {
      return new NamedFilter("none", SearchFilters.NONE);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    Optional<Integer> from = Optional.empty();
    Optional<Integer> to = Optional.empty();
    for (String part : s.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "a filter is 'none' or attribute=value,..., got: '" + spec + "'");
      }
      String key = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      switch (key) {
        case "yearFrom" -> from = Optional.of(Integer.parseInt(value));
        case "yearTo" -> to = Optional.of(Integer.parseInt(value));
        default -> attributes.put(key, value);
      }
    }
    SearchFilters filters = SearchFilters.NONE.years(from, to);
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      filters = filters.and(e.getKey(), e.getValue());
    }
    return new NamedFilter(s.replace(' ', '_'), filters);
  }

  /**
   * Parses {@code NAME=SETTINGS}: the name is everything before the first {@code =}, the settings
   * everything after it, as {@link KnnTuning#parse} reads them: by name ({@code
   * k100=minCandidates=100,scanBelowPercent=0}, unnamed settings at their defaults), {@code
   * default}, or the older positional form ({@code k100=100,0,0,1,0}).
   *
   * @throws IllegalArgumentException for a spec without a name or settings, or bad settings
   */
  public static Strategy parseStrategy(String spec) {
    int eq = spec.indexOf('=');
    String name = eq < 0 ? "" : spec.substring(0, eq).strip();
    if (name.isEmpty() || spec.substring(eq + 1).isBlank()) {
      throw new IllegalArgumentException(
          "a strategy is NAME=SETTINGS, e.g. k100=minCandidates=100,scanBelowPercent=0 (names "
              + KnnTuning.NAMES
              + "), got: '"
              + spec
              + "'");
    }
    try {
      return new Strategy(name, KnnTuning.parse(spec.substring(eq + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("strategy '" + spec + "': " + e.getMessage(), e);
    }
  }

  /**
   * The synthetic catalog: base vectors, held-out query vectors, and each base vector's attributes.
   */
  public record Data(float[][] base, float[][] queries, List<Map<String, String>> attributes) {}

  /**
   * Builds (or reuses) the index in {@code workDir}, writes {@code base.fvecs} and {@code
   * queries.fvecs} there, and prints a line per strategy and filter.
   *
   * @return the measurements and the folder holding the {@code .fvecs} files
   */
  public Report run(Path workDir, List<NamedFilter> filters, List<Strategy> strategies)
      throws IOException {
    Data data = generate();
    Path dataDir =
        Files.createDirectories(
            workDir.resolve(
                String.format(Locale.ROOT, "catalog-n%d-d%d-seed%d", n, dimension, seed)));
    Path index =
        dataDir.resolve(
            indexOptions.equals(VectorIndexOptions.DEFAULT)
                ? "index"
                : String.format(
                    Locale.ROOT,
                    "index-m%d-beam%d-%s",
                    indexOptions.maxConn(),
                    indexOptions.beamWidth(),
                    indexOptions.quantization().name().toLowerCase(Locale.ROOT)));
    ensureIndex(index, data);
    writeFvecs(dataDir.resolve("base.fvecs"), data.base());
    writeFvecs(dataDir.resolve("queries.fvecs"), data.queries());
    float[][] exact = exactScores(data);
    List<Measurement> measurements = new ArrayList<>();
    warmUp(index, filters, strategies, data);
    for (Strategy strategy : strategies) {
      try (LuceneProductSearcher searcher = open(index, strategy)) {
        for (NamedFilter filter : filters) {
          measurements.add(measure(searcher, strategy, filter, data, exact));
        }
      }
    }
    Map<String, int[]> rows = new LinkedHashMap<>();
    for (NamedFilter filter : filters) {
      rows.put(filter.name(), matchingRows(filter, data));
    }
    return new Report(dataDir, measurements, rows);
  }

  /** A searcher over the benchmark's index; it queries by vector only. */
  private LuceneProductSearcher open(Path index, Strategy strategy) throws IOException {
    return LuceneProductSearcher.open(
        index,
        (m, w) -> {
          throw new IllegalStateException("the benchmark queries by vector");
        },
        strategy.tuning(),
        threads);
  }

  /**
   * Runs every strategy under every filter unmeasured first, so that the first measured line does
   * not pay for the JIT compiling the query path (it showed 3x-4x slower than the same strategy
   * later). With 50 queries each, the first lines still did: an unfiltered walk took a p50 of
   * 2.4-2.6 ms after 50, 1.1 ms after 300, and 0.7-0.8 ms in a JVM that had run 2,000
   * (docs/benchmarks-history.md, "Rescoring in place, preloaded generations").
   */
  private void warmUp(Path index, List<NamedFilter> filters, List<Strategy> strategies, Data data)
      throws IOException {
    if (warmup == 0) {
      return;
    }
    progress.println("warming up: " + warmup + " queries per strategy and filter, unmeasured...");
    int total = data.queries().length;
    for (Strategy strategy : strategies) {
      try (LuceneProductSearcher searcher = open(index, strategy)) {
        for (NamedFilter filter : filters) {
          for (int w = 0; w < warmup; w++) {
            searcher.similarToVector(
                data.queries()[(total - 1 - w % total)], filter.filters(), SearchOptions.top(10));
          }
        }
      }
    }
  }

  /** Every query's score against every base vector, by the index's similarity. */
  public float[][] exactScores(Data data) {
    progress.println(
        "computing exact scores of "
            + data.queries().length
            + " queries against "
            + n
            + " vectors...");
    float[][] exact = new float[data.queries().length][n];
    for (int q = 0; q < data.queries().length; q++) {
      for (int i = 0; i < n; i++) {
        exact[q][i] = IndexSchema.SIMILARITY.compare(data.queries()[q], data.base()[i]);
      }
    }
    return exact;
  }

  /**
   * Measures one filter on any searcher over the same catalog (product ids are the base vectors'
   * indexes) and prints its line.
   */
  public Measurement measure(
      ProductSearcher searcher, Strategy strategy, NamedFilter filter, Data data, float[][] exact) {
    boolean[] matches = matches(filter, data);
    int matching = 0;
    for (boolean m : matches) {
      matching += m ? 1 : 0;
    }
    SearchOptions top10 = SearchOptions.top(10);
    int total = data.queries().length;
    for (int w = 0; w < warmup; w++) {
      searcher.similarToVector(data.queries()[w % total], filter.filters(), top10);
    }
    long[] nanos = new long[queries];
    double recallSum = 0;
    long wallStart = System.nanoTime();
    for (int q = 0; q < queries; q++) {
      float[] query = data.queries()[q % total];
      long start = System.nanoTime();
      SearchResults results = searcher.similarToVector(query, filter.filters(), top10);
      nanos[q] = System.nanoTime() - start;
      recallSum += recall(results, exact[q % total], matches);
    }
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    Arrays.sort(nanos);
    double idsP50 = Double.NaN;
    if (searcher instanceof LuceneProductSearcher lucene) {
      idsP50 = idsP50Ms(lucene, filter, data);
    }
    Measurement m =
        new Measurement(
            strategy.name(),
            filter.name(),
            matching,
            (double) matching / n,
            recallSum / queries,
            nanos[queries / 2] / 1e6,
            nanos[Math.max(0, (int) Math.ceil(queries * 0.99) - 1)] / 1e6,
            queries / wallSeconds,
            idsP50);
    out.printf(
        Locale.ROOT,
        "query strategy=%s filter=%s matching=%d selectivity=%.4f recall@10=%.3f p50_ms=%.3f"
            + " p99_ms=%.3f qps=%.0f ids_p50_ms=%.3f%n",
        m.strategy(),
        m.filter(),
        m.matching(),
        m.selectivity(),
        m.recall(),
        m.p50Ms(),
        m.p99Ms(),
        m.qps(),
        m.idsP50Ms());
    out.flush();
    return m;
  }

  /**
   * The p50 of {@link LuceneProductSearcher#nearestIds} over the measured queries, after as many
   * unmeasured ones as the warm-up; it checks that each answer holds the ids {@code
   * similarToVector} gives.
   */
  private double idsP50Ms(LuceneProductSearcher searcher, NamedFilter filter, Data data) {
    SearchOptions top10 = SearchOptions.top(10);
    int total = data.queries().length;
    for (int w = 0; w < warmup; w++) {
      searcher.nearestIds(data.queries()[w % total], filter.filters(), top10);
    }
    long[] nanos = new long[queries];
    List<List<ScoredId>> answers = new ArrayList<>(queries);
    for (int q = 0; q < queries; q++) {
      float[] query = data.queries()[q % total];
      long start = System.nanoTime();
      List<ScoredId> ids = searcher.nearestIds(query, filter.filters(), top10);
      nanos[q] = System.nanoTime() - start;
      answers.add(ids);
    }
    for (int q = 0; q < Math.min(queries, total); q++) {
      List<String> full =
          searcher.similarToVector(data.queries()[q], filter.filters(), top10).hits().stream()
              .map(h -> h.item().id())
              .toList();
      List<String> ids = answers.get(q).stream().map(ScoredId::id).toList();
      if (!full.equals(ids)) {
        throw new IllegalStateException(
            "nearestIds and similarToVector disagree under "
                + filter.name()
                + " for query "
                + q
                + ": "
                + ids
                + " vs "
                + full);
      }
    }
    Arrays.sort(nanos);
    return nanos[queries / 2] / 1e6;
  }

  /** Whether each product of the catalog (by row, which is its id) passes {@code filter}. */
  private boolean[] matches(NamedFilter filter, Data data) {
    boolean[] matches = new boolean[data.attributes().size()];
    for (int i = 0; i < matches.length; i++) {
      matches[i] = accepts(filter.filters(), data.attributes().get(i));
    }
    return matches;
  }

  /**
   * The rows of the catalog (0-based, ascending; a row is also the product's id) that {@code
   * filter} matches: what a peer given the {@code .fvecs} needs to restrict its search the same
   * way.
   */
  public int[] matchingRows(NamedFilter filter, Data data) {
    boolean[] matches = matches(filter, data);
    int count = 0;
    for (boolean m : matches) {
      count += m ? 1 : 0;
    }
    int[] rows = new int[count];
    for (int i = 0, j = 0; i < matches.length; i++) {
      if (matches[i]) {
        rows[j++] = i;
      }
    }
    return rows;
  }

  /** The share of the exact top 10 (of the filtered set, ties by id) that the results hold. */
  private static double recall(SearchResults results, float[] scores, boolean[] matches) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (matches[i]) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return results.hits().isEmpty() ? 1 : 0;
    }
    candidates.sort(
        (a, b) ->
            scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
    int k = Math.min(10, candidates.size());
    // Equal scores at the cut are interchangeable: accept any product scoring at least the 10th.
    float threshold = scores[candidates.get(k - 1)];
    Set<String> found = new HashSet<>();
    results.hits().forEach(h -> found.add(h.item().id()));
    int hit = 0;
    for (String id : found) {
      int i = Integer.parseInt(id);
      if (matches[i] && scores[i] >= threshold) {
        hit++;
      }
    }
    return Math.min(1.0, (double) hit / k);
  }

  private static boolean accepts(SearchFilters f, Map<String, String> attributes) {
    if (!f.acceptsAttributes(attributes)) {
      return false;
    }
    int year = Integer.parseInt(attributes.get("year"));
    return f.yearFrom().map(y -> year >= y).orElse(true)
        && f.yearTo().map(y -> year <= y).orElse(true);
  }

  /** The catalog this benchmark's seed and sizes make. */
  public Data generate() {
    progress.println(
        "generating "
            + n
            + " + "
            + queries
            + " synthetic "
            + dimension
            + "-d vectors (seed "
            + seed
            + ")...");
    int clusters = Math.max(1, n / 100);
    float[][] all = SyntheticVectors.clustered(n + queries, dimension, clusters, seed);
    Random random = new Random(seed + 1);
    int[] kindOfCluster = new int[clusters];
    for (int c = 0; c < clusters; c++) {
      kindOfCluster[c] = SyntheticAttributes.drawKind(random);
    }
    List<Map<String, String>> attributes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int kind =
          random.nextDouble() < SAME_KIND
              ? kindOfCluster[i % clusters]
              : SyntheticAttributes.drawKind(random);
      attributes.add(SyntheticAttributes.attributes(kind, random, "Synthetic " + i));
    }
    return new Data(
        Arrays.copyOfRange(all, 0, n), Arrays.copyOfRange(all, n, n + queries), attributes);
  }

  private void ensureIndex(Path root, Data data) throws IOException {
    IndexGenerations generations = new IndexGenerations(root);
    if (generations.current().isPresent()) {
      try (FSDirectory dir = FSDirectory.open(generations.currentDir());
          DirectoryReader reader = DirectoryReader.open(dir)) {
        Sort sort = IndexSchema.indexSort();
        boolean sorted =
            reader.leaves().stream().allMatch(l -> sort.equals(l.reader().getMetaData().sort()));
        if (reader.numDocs() == n && !sorted) {
          progress.println(
              "not reusing the index at "
                  + generations.currentDir()
                  + ": it predates the index sort; indexing again");
        } else if (reader.numDocs() == n) {
          progress.println(
              "reusing the index at "
                  + generations.currentDir()
                  + " ("
                  + reader.leaves().size()
                  + " segments)");
          if (forceMerge && reader.leaves().size() > 1) {
            mergeToOneSegment(generations.currentDir(), reader.getIndexCommit().getUserData());
          }
          return;
        }
      }
    }
    long gen = generations.next();
    progress.println(
        "indexing "
            + n
            + " products into "
            + generations.generationDir(gen)
            + " ("
            + indexOptions.describe()
            + "; a few minutes)...");
    long start = System.nanoTime();
    IndexWriterConfig config = writerConfig();
    try (FSDirectory dir = FSDirectory.open(generations.generationDir(gen));
        IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < n; i++) {
        Product p =
            new Product(
                Integer.toString(i),
                data.attributes().get(i),
                root.resolve("images").resolve(i + ".jpg"));
        writer.addDocument(ProductDocuments.toDocument(p, data.base()[i]));
        if ((i + 1) % 5000 == 0) {
          progress.printf(
              Locale.ROOT,
              "  %d/%d indexed, %.0f s%n",
              i + 1,
              n,
              (System.nanoTime() - start) / 1e9);
        }
      }
      IndexMetadata metadata =
          new IndexMetadata(
              IndexSchema.VERSION,
              "synthetic",
              "synthetic:" + seed,
              false,
              dimension,
              IndexSchema.SIMILARITY.name(),
              indexOptions.describe(),
              root.toString(),
              gen,
              n,
              Map.of());
      writer.setLiveCommitData(metadata.toUserData().entrySet());
      writer.commit();
    }
    generations.switchTo(gen);
    progress.printf(
        Locale.ROOT, "indexed %d products in %.0f s%n", n, (System.nanoTime() - start) / 1e9);
    if (forceMerge) {
      try (FSDirectory dir = FSDirectory.open(generations.currentDir());
          DirectoryReader reader = DirectoryReader.open(dir)) {
        if (reader.leaves().size() > 1) {
          mergeToOneSegment(generations.currentDir(), reader.getIndexCommit().getUserData());
        }
      }
    }
  }

  /**
   * The writer's configuration, as {@code fashion reindex} writes: this codec, sorted by
   * attributes.
   */
  private IndexWriterConfig writerConfig() {
    return new IndexWriterConfig()
        .setCodec(new FashionCodec(indexOptions))
        .setIndexSort(IndexSchema.indexSort())
        .setRAMBufferSizeMB(512);
  }

  private void mergeToOneSegment(Path generationDir, Map<String, String> userData)
      throws IOException {
    progress.println("merging " + generationDir + " into one segment...");
    long start = System.nanoTime();
    IndexWriterConfig config = writerConfig();
    try (FSDirectory dir = FSDirectory.open(generationDir);
        IndexWriter writer = new IndexWriter(dir, config)) {
      writer.forceMerge(1);
      writer.setLiveCommitData(userData.entrySet());
      writer.commit();
    }
    progress.printf(Locale.ROOT, "merged in %.0f s%n", (System.nanoTime() - start) / 1e9);
  }

  /**
   * Writes vectors as {@code .fvecs}: per vector, its dimension as a little-endian int32, then the
   * floats.
   */
  static void writeFvecs(Path file, float[][] vectors) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      ByteBuffer buffer =
          ByteBuffer.allocate(4 + 4 * vectors[0].length).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] v : vectors) {
        buffer.clear();
        buffer.putInt(v.length);
        for (float x : v) {
          buffer.putFloat(x);
        }
        out.write(buffer.array(), 0, buffer.position());
      }
    }
  }
}
