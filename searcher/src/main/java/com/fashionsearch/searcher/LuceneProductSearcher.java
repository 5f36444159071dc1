package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexSchema;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedSetSortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.QueryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProductSearcher} over a local index folder ({@link IndexGenerations}): searches the
 * generation {@code CURRENT} names and moves to a new one on {@link #refresh()}.
 *
 * <p>Every query takes a reference on the generation it starts on and gives it back when done; a
 * replaced generation closes when its last query finishes ({@link CurrentGeneration}, Lucene's
 * {@code ReferenceManager}). One shared {@code IndexSearcher} per generation serves all threads;
 * opened with more than one thread per query, it runs on a pool so that one graph walk searches the
 * segments of a multi-segment index at once. Query images are encoded by one {@link
 * ImageQueryEncoder} per (model, weights), created on first use from the index's own metadata.
 *
 * <p>Filtered k-NN: Lucene's {@link KnnFloatVectorQuery} under the filter, which walks the graph
 * over the matching documents only and falls back to an exact scan when the filter matches fewer
 * documents than the walk would visit; the walk collects at least {@link KnnTuning#minCandidates()}
 * candidates and the result is trimmed to the page. On a quantized index (int8, int4 or BBQ vectors
 * in the graph) a filter matching less than {@link KnnTuning#scanBelowPercent()} of the catalog, or
 * whose matches fill less than {@link KnnTuning#scanBlocksBelowPercent()} of its blocks of
 * consecutive documents, is answered by a scan of the matching quantized vectors instead; the walk
 * collects {@link KnnTuning#oversample()} times the candidates, the scan twice that, and either way
 * they are rescored exactly with the raw float vectors, which the index keeps beside the quantized
 * ones. {@link KnnPlanner} makes that choice and runs it.
 *
 * <p>Thread-safe.
 */
public final class LuceneProductSearcher implements ProductSearcher {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneProductSearcher.class);

  /**
   * Threads per query by default: one. On the project's 2-core machines, scanning a segment's
   * ranges on both cores was no faster at the median than one thread and slower at p99
   * (docs/benchmarks-history.md, "One thread per query, merged generations"), and concurrent
   * requests keep the cores busy anyway; a reindex merges the index into one segment, so there is
   * one graph to walk.
   */
  public static final int DEFAULT_THREADS = 1;

  private static final Sort BROWSE_SORT = browseSort();

  private static Sort browseSort() {
    List<SortField> fields = new ArrayList<>();
    for (String attribute : BROWSE_ORDER) {
      SortField field = new SortedSetSortField(attribute, false);
      field.setMissingValue(SortField.STRING_LAST);
      fields.add(field);
    }
    fields.add(new SortedSetSortField(IndexSchema.ID, false));
    return new Sort(fields.toArray(SortField[]::new));
  }

  /** Chooses how each k-NN query runs (walk, scan or exact) and runs it. */
  private final KnnPlanner planner;

  /** The generation queries search now; a refresh swaps in the one {@code CURRENT} names. */
  private final CurrentGeneration current;

  private final QueryImageEncoders encoders;
  private final ReentrantLock refreshLock = new ReentrantLock();

  /** Runs one query's tasks (segments, scan ranges) beside its caller; null with one thread. */
  private final ExecutorService pool;

  /**
   * Opens the generation {@code CURRENT} names; every generation reads its vectors through Lucene's
   * public API only when {@code allowLuceneInternals} is false ({@link VectorAccess}).
   */
  private LuceneProductSearcher(
      IndexGenerations generations,
      EmbedderFactory embedders,
      KnnTuning tuning,
      int threads,
      boolean allowLuceneInternals)
      throws IOException {
    this.planner = new KnnPlanner(tuning, new QuantizedScan(threads));
    ExecutorService executor =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("search-", 0).daemon().factory());
    this.pool = executor;
    this.encoders = new QueryImageEncoders(embedders);
    try {
      this.current =
          new CurrentGeneration(
              generations,
              n ->
                  OpenGeneration.open(
                      n, generations.generationDir(n), executor, allowLuceneInternals));
    } catch (IOException | RuntimeException e) {
      encoders.close();
      if (executor != null) {
        executor.shutdown();
      }
      throw e;
    }
  }

  /**
   * Opens the current generation of {@code indexRoot}, encoding images with the index's own model.
   */
  public static LuceneProductSearcher open(Path indexRoot) throws IOException {
    return open(indexRoot, new IndexEmbedders(Optional.empty()), KnnTuning.DEFAULT);
  }

  /**
   * Opens the current generation of {@code indexRoot}.
   *
   * @param embedders creates the query image embedder for the index's model and weights
   * @param tuning how filtered k-NN queries run
   * @throws IllegalStateException when the folder holds no index, or one of another schema version
   */
  public static LuceneProductSearcher open(
      Path indexRoot, EmbedderFactory embedders, KnnTuning tuning) throws IOException {
    return open(indexRoot, embedders, tuning, DEFAULT_THREADS);
  }

  /**
   * Opens the current generation of {@code indexRoot}, with {@code threads} threads for one query's
   * work: a graph walk searches up to that many segments at once, and a quantized scan cuts a large
   * segment into that many ranges (1: every query runs on its caller's thread only).
   *
   * @throws IllegalArgumentException when {@code threads} is below 1
   */
  public static LuceneProductSearcher open(
      Path indexRoot, EmbedderFactory embedders, KnnTuning tuning, int threads) throws IOException {
    return open(indexRoot, embedders, tuning, threads, true);
  }

  /**
   * As {@link #open(Path, EmbedderFactory, KnnTuning, int)}; {@code allowLuceneInternals} false
   * reads vectors through Lucene's public API only, as on an unchecked Lucene version ({@link
   * VectorAccess}).
   */
  static LuceneProductSearcher open(
      Path indexRoot,
      EmbedderFactory embedders,
      KnnTuning tuning,
      int threads,
      boolean allowLuceneInternals)
      throws IOException {
    return new LuceneProductSearcher(
        new IndexGenerations(indexRoot), embedders, tuning, threads, allowLuceneInternals);
  }

  /** The attributes {@link #warmUp} filters on in turn, after an unfiltered query. */
  private static final List<String> WARM_UP_ATTRIBUTES =
      List.of("gender", "masterCategory", "articleType");

  /**
   * Runs up to {@code queries} unmeasured similar-product queries on the current generation, so
   * that the JIT has compiled the query paths before the first shopper's request: a new process's
   * first few hundred queries otherwise run up to 2x slower (docs/benchmarks-history.md, "Rescoring
   * in place, preloaded generations"). The products are spread over the catalog; each is asked for
   * unfiltered, then under a filter on its own gender, masterCategory and articleType in turn,
   * which covers graph walks and both kinds of scan. Stops after {@code budget}. Never fails: a
   * query that throws ends the warm-up and is logged.
   *
   * @return how many queries ran
   */
  public int warmUp(int queries, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    List<CatalogItem> products = new ArrayList<>();
    int ran = 0;
    try {
      withGeneration(
          g -> {
            int maxDoc = g.reader.maxDoc();
            int distinct =
                Math.min(
                    maxDoc,
                    (queries + WARM_UP_ATTRIBUTES.size()) / (WARM_UP_ATTRIBUTES.size() + 1));
            Bits live = MultiBits.getLiveDocs(g.reader);
            StoredFields stored = g.searcher.storedFields();
            for (int i = 0; i < distinct; i++) {
              int doc = (int) ((long) i * maxDoc / distinct);
              if (live == null || live.get(doc)) {
                products.add(load(stored, doc));
              }
            }
            return null;
          });
      for (int i = 0; ran < queries && !products.isEmpty() && System.nanoTime() < deadline; i++) {
        CatalogItem product = products.get((i / (WARM_UP_ATTRIBUTES.size() + 1)) % products.size());
        int turn = i % (WARM_UP_ATTRIBUTES.size() + 1);
        SearchFilters filters = SearchFilters.NONE;
        if (turn > 0) {
          String attribute = WARM_UP_ATTRIBUTES.get(turn - 1);
          String value = product.attributes().getOrDefault(attribute, "");
          filters = value.isEmpty() ? filters : filters.and(attribute, value);
        }
        similarToItem(product.id(), filters, SearchOptions.DEFAULT);
        ran++;
      }
    } catch (RuntimeException e) {
      LOG.warn("warm-up stopped by a failed query after {}: {}", ran, e.toString());
    }
    return ran;
  }

  @Override
  public IndexInfo info() {
    OpenGeneration g = acquire();
    try {
      return g.info;
    } finally {
      g.release();
    }
  }

  @Override
  public Optional<CatalogItem> item(String id) {
    Objects.requireNonNull(id, "id");
    return withGeneration(
        g -> {
          int doc = docOf(g, id);
          return doc < 0 ? Optional.empty() : Optional.of(load(g.searcher.storedFields(), doc));
        });
  }

  @Override
  public SearchResults similarToItem(String id, SearchFilters filters, SearchOptions options) {
    Objects.requireNonNull(id, "id");
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> {
          int doc = docOf(g, id);
          if (doc < 0) {
            throw new UnknownProductException(id);
          }
          float[] vector = vectorOf(g, doc);
          return page(
              g, planner.nearest(g, vector, filter, doc, options, Ranking.depth(options)), options);
        });
  }

  @Override
  public SearchResults similarToImage(
      BufferedImage image, SearchFilters filters, SearchOptions options) {
    Objects.requireNonNull(image, "image");
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g ->
            page(
                g,
                nearest(g, g.toIndexSpace(encoders.encode(g.metadata, image)), filter, options),
                options));
  }

  @Override
  public SearchResults similarToEmbedding(
      float[] embedding, SearchFilters filters, SearchOptions options) {
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> page(g, nearest(g, g.toIndexSpace(embedding), filter, options), options));
  }

  @Override
  public SearchResults similarToVector(
      float[] vector, SearchFilters filters, SearchOptions options) {
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> {
          QueryImageEncoders.requireDimension(g.metadata, vector);
          return page(g, nearest(g, vector, filter, options), options);
        });
  }

  /**
   * The ids and exact scores of the page {@link #similarToVector} would return, in the same order,
   * without loading the products' catalog entries (their stored fields): for a caller holding its
   * own catalog, and for comparing the search with a library that returns ids and scores (loading
   * 10 entries was about two thirds of a query under a filter matching 14 products, BENCHMARKS.md).
   *
   * @throws IllegalArgumentException for a vector of the wrong dimension
   */
  public List<ScoredId> nearestIds(float[] vector, SearchFilters filters, SearchOptions options) {
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> {
          QueryImageEncoders.requireDimension(g.metadata, vector);
          List<Ranking.Scored<Integer>> ranked = nearest(g, vector, filter, options);
          int end = Math.min(ranked.size(), options.offset() + options.k());
          List<ScoredId> page = new ArrayList<>(Math.max(0, end - options.offset()));
          for (int i = options.offset(); i < end; i++) {
            page.add(new ScoredId(ranked.get(i).id(), ranked.get(i).score()));
          }
          return page;
        });
  }

  @Override
  public SearchResults byText(String text, SearchFilters filters, SearchOptions options) {
    Query textQuery = textQuery(text);
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> {
          // BM25 ties are common (short names of equal length): a tie group crossing the cut goes
          // deeper
          List<Ranking.Scored<Integer>> ranked =
              Ranking.deepeningPastTies(
                  options,
                  g.searcher.getIndexReader().maxDoc(),
                  depth -> bestByText(g, textQuery, filter, depth));
          return page(g, ranked, options);
        });
  }

  @Override
  public SearchResults hybrid(
      BufferedImage image, String text, SearchFilters filters, SearchOptions options) {
    Objects.requireNonNull(image, "image");
    Query textQuery = textQuery(text);
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> {
          int depth = Math.max(SearchOptions.MAX_K, Ranking.depth(options));
          SearchOptions wide = new SearchOptions(SearchOptions.MAX_K, 0, options.exact());
          List<Ranking.Scored<Integer>> byImage =
              planner.nearest(
                  g, g.toIndexSpace(encoders.encode(g.metadata, image)), filter, wide, depth);
          List<Ranking.Scored<Integer>> byText = bestByText(g, textQuery, filter, depth);
          return page(g, Ranking.fuse(List.of(byImage, byText)), options);
        });
  }

  @Override
  public FacetCounts facets(SearchFilters filters) {
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(g -> FacetCounter.count(g.searcher, filter));
  }

  @Override
  public SearchResults browse(SearchFilters filters, SearchOptions options) {
    Query filter = FilterQueries.toQuery(filters);
    return withGeneration(
        g -> {
          TopDocs top =
              g.searcher.search(
                  filter == null ? new MatchAllDocsQuery() : filter,
                  options.offset() + options.k(),
                  BROWSE_SORT);
          List<SearchHit> hits = new ArrayList<>();
          StoredFields stored = g.searcher.storedFields();
          for (int i = options.offset(); i < top.scoreDocs.length; i++) {
            hits.add(new SearchHit(load(stored, top.scoreDocs[i].doc), 0));
          }
          return new SearchResults(hits, g.info);
        });
  }

  @Override
  public boolean refresh() throws IOException {
    refreshLock.lock();
    try {
      long before = generation();
      current.maybeRefreshBlocking();
      long after = generation();
      if (after == before) {
        return false;
      }
      LOG.info(
          "moved from index generation {} to {} ({} products)", before, after, info().documents());
      return true;
    } catch (AlreadyClosedException e) {
      throw new IllegalStateException("the searcher is closed", e);
    } finally {
      refreshLock.unlock();
    }
  }

  /** Releases the current generation (it closes once running queries finish) and the encoders. */
  @Override
  public void close() {
    refreshLock.lock();
    try {
      current.close();
      encoders.close();
      if (pool != null) {
        pool.shutdown();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the index generation", e);
    } finally {
      refreshLock.unlock();
    }
  }

  // --- generations

  /** How the current generation reads its vectors: Lucene's internals or its public API. */
  VectorAccess.Kind vectorAccess() {
    OpenGeneration g = acquire();
    try {
      return g.vectors.kind();
    } finally {
      g.release();
    }
  }

  /**
   * The current generation with a reference taken, which the caller must {@link
   * OpenGeneration#release}.
   */
  OpenGeneration acquire() {
    try {
      return current.acquire();
    } catch (AlreadyClosedException e) {
      throw new IllegalStateException("the searcher is closed", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take a reference on the index generation", e);
    }
  }

  /** The number of the current generation. */
  private long generation() {
    OpenGeneration g = acquire();
    try {
      return g.generation;
    } finally {
      g.release();
    }
  }

  private interface OnGeneration<T> {
    T apply(OpenGeneration g) throws IOException;
  }

  private <T> T withGeneration(OnGeneration<T> work) {
    OpenGeneration g = acquire();
    try {
      return work.apply(g);
    } catch (IOException e) {
      throw new UncheckedIOException("search failed on index generation " + g.generation, e);
    } finally {
      g.release();
    }
  }

  // --- k-NN

  private List<Ranking.Scored<Integer>> nearest(
      OpenGeneration g, float[] vector, Query filter, SearchOptions options) throws IOException {
    return planner.nearest(g, vector, filter, options, Ranking.depth(options));
  }

  // --- text and fusion

  private static Query textQuery(String text) {
    SearchText.requireSearchable(text);
    Query q =
        new QueryBuilder(FilterQueries.textAnalyzer()).createBooleanQuery(IndexSchema.TEXT, text);
    if (q == null) {
      throw new IllegalArgumentException("text has no searchable words: '" + text + "'");
    }
    return q;
  }

  private static List<Ranking.Scored<Integer>> bestByText(
      OpenGeneration g, Query text, Query filter, int depth) throws IOException {
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(text, BooleanClause.Occur.MUST);
    if (filter != null) {
      b.add(filter, BooleanClause.Occur.FILTER);
    }
    TopDocs top = g.searcher.search(b.build(), depth);
    List<Ranking.Scored<Integer>> scored = new ArrayList<>();
    for (ScoreDoc sd : top.scoreDocs) {
      scored.add(new Ranking.Scored<>(sd.doc, g.idOf(sd.doc), sd.score));
    }
    scored.sort(Ranking.ORDER);
    return scored;
  }

  // --- documents

  private static SearchResults page(
      OpenGeneration g, List<Ranking.Scored<Integer>> ranked, SearchOptions options)
      throws IOException {
    // One StoredFields for the page, as Lucene asks: it keeps the last decompressed block, which
    // results of one kind, sorted next to each other (IndexSchema.indexSort), may share.
    StoredFields stored = g.searcher.storedFields();
    return new SearchResults(Ranking.page(ranked, options, doc -> load(stored, doc)), g.info);
  }

  private static int docOf(OpenGeneration g, String id) throws IOException {
    TopDocs top = g.searcher.search(KeywordField.newExactQuery(IndexSchema.ID, id), 1);
    return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
  }

  private static float[] vectorOf(OpenGeneration g, int doc) throws IOException {
    List<LeafReaderContext> leaves = g.reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
    if (values != null) {
      KnnVectorValues.DocIndexIterator it = values.iterator();
      if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
        return values.vectorValue(it.index()).clone();
      }
    }
    throw new IllegalStateException(
        "document " + doc + " of generation " + g.generation + " has no vector");
  }

  private static CatalogItem load(StoredFields stored, int doc) throws IOException {
    Document d = stored.document(doc);
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String name : IndexSchema.ATTRIBUTES) {
      IndexableField field = d.getField(name);
      String value = "";
      if (field != null) {
        value =
            field.numericValue() != null ? field.numericValue().toString() : field.stringValue();
      }
      attributes.put(name, value == null ? "" : value);
    }
    String image = d.get(IndexSchema.IMAGE);
    return new CatalogItem(d.get(IndexSchema.ID), attributes, image == null ? "" : image);
  }
}
