package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PatienceKnnVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.knn.KnnSearchStrategy;

/**
 * Runs a k-NN query on one generation of {@link LuceneProductSearcher}: chooses, by the {@link
 * KnnTuning} and the filter, between Lucene's graph walk (with patience under broad filters), the
 * nearest clusters' matches on a generation with clusters ({@link ClusterProbe}), a scan of the
 * matching quantized vectors ({@link QuantizedScan}) and an exact scan, runs it, and on a quantized
 * index rescores the candidates exactly with the raw float vectors ({@link FloatScores}, through
 * the generation's {@link VectorAccess}). Each generation remembers its choice per filter ({@link
 * OpenGeneration#filterChoice}). Thread-safe: it holds only the tuning and the scan.
 */
final class KnnPlanner {
  /** Candidates without ids yet: descending score, then ascending Lucene doc. */
  private static final Comparator<Ranking.Scored<Integer>> BY_SCORE_THEN_DOC =
      Comparator.comparingDouble(Ranking.Scored<Integer>::score)
          .reversed()
          .thenComparingInt(Ranking.Scored<Integer>::doc);

  private final KnnTuning tuning;
  private final QuantizedScan scan;

  KnnPlanner(KnnTuning tuning, QuantizedScan scan) {
    this.tuning = tuning;
    this.scan = scan;
  }

  /**
   * The best {@code depth} documents of generation {@code g} for {@code vector} among those {@code
   * filter} matches (all when null), with exact scores, in {@link Ranking#ORDER}; exactly when
   * {@code options} asks for it, otherwise by the plan the class comment describes.
   */
  List<Ranking.Scored<Integer>> nearest(
      OpenGeneration g, float[] vector, Query filter, SearchOptions options, int depth)
      throws IOException {
    return nearest(g, vector, filter, -1, options, depth);
  }

  /**
   * As {@link #nearest(OpenGeneration, float[], Query, SearchOptions, int)}, without top-level
   * document {@code excludedDoc} (none when negative): the product a similar-product query starts
   * from. The filter stays the shopper's own, so that its choice is made once for every product
   * asked under it, not once per product.
   */
  List<Ranking.Scored<Integer>> nearest(
      OpenGeneration g,
      float[] vector,
      Query filter,
      int excludedDoc,
      SearchOptions options,
      int depth)
      throws IOException {
    if (excludedDoc < 0) {
      return plan(g, vector, filter, options, depth);
    }
    List<Ranking.Scored<Integer>> scored =
        new ArrayList<>(plan(g, vector, filter, options, depth + 1));
    scored.removeIf(s -> s.doc() == excludedDoc);
    return scored.size() > depth ? scored.subList(0, depth) : scored;
  }

  private List<Ranking.Scored<Integer>> plan(
      OpenGeneration g, float[] vector, Query filter, SearchOptions options, int depth)
      throws IOException {
    if (options.exact()) {
      return exactNearest(g, vector, filter, depth);
    }
    int candidates =
        Math.max(depth, tuning.minCandidates()) * (g.quantized ? tuning.oversample() : 1);
    int patience = tuning.walkPatience();
    if (filter != null) {
      OpenGeneration.FilterChoice choice = g.filterChoice(filter, f -> choose(g, f));
      if (choice.docs() != null
          && choice.matching() <= (g.quantized ? 2 * candidates : candidates)) {
        // Every match would be scored exactly anyway (a scan rescores up to twice the candidates,
        // Lucene's walk falls back to an exact search below the candidates): score the listed
        // matches directly, without running the filter, quantizing the query or walking.
        return rescore(g, vector, choice.docs(), depth);
      }
      if (g.clusters.isPresent() && tuning.clusterCandidates() > 0) {
        // The matches of the clusters nearest the query, scored exactly: the cost follows the
        // candidates, not the filter's size, and nothing is lost to quantization.
        int wanted = Math.max(tuning.clusterCandidates(), 2 * candidates);
        ClusterProbe probe = g.clusters.get();
        return rescore(
            g,
            vector,
            choice.grouped() != null
                ? probe.candidates(choice.grouped(), vector, wanted)
                : probe.candidates(g.searcher, filter, choice.matching(), vector, wanted),
            depth);
      }
      if (choice.scan()) {
        // A scan's extra candidates cost only their rescoring, not a wider walk: keep twice as
        // many.
        return rescore(
            g,
            vector,
            scan.best(g.searcher, g.vectors, vector, filter, 2 * candidates, choice.matching()),
            depth);
      }
      if (!g.quantized && choice.matching() < tuning.exactBelow()) {
        return exactNearest(g, vector, filter, depth);
      }
      patience = choice.walkPatience();
    }
    TopDocs top = g.searcher.search(walk(tuning, vector, candidates, filter, patience), candidates);
    if (g.quantized) {
      int[] docs = new int[top.scoreDocs.length];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = top.scoreDocs[i].doc;
      }
      return rescore(g, vector, docs, depth);
    }
    // Lucene's order is score, then doc: ids are looked up for the page and its tie margin only.
    int n = Math.min(depth, top.scoreDocs.length);
    int[] docs = new int[n];
    for (int i = 0; i < n; i++) {
      docs[i] = top.scoreDocs[i].doc;
    }
    String[] ids = g.idsOf(docs);
    List<Ranking.Scored<Integer>> scored = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      scored.add(new Ranking.Scored<>(docs[i], ids[i], top.scoreDocs[i].score));
    }
    scored.sort(Ranking.ORDER);
    return scored;
  }

  /**
   * How {@code filter} is answered on {@code g}: it counts the matches, and lists them when they
   * are few enough ({@link OpenGeneration#MAX_LISTED_MATCHES}), or, on a generation with clusters,
   * groups them by cluster while the budget lasts ({@link OpenGeneration#MAX_GROUPED_BYTES}).
   */
  private OpenGeneration.FilterChoice choose(OpenGeneration g, Query filter) throws IOException {
    int matching = g.searcher.count(filter);
    int[] docs = null;
    ClusterProbe.Grouped grouped = null;
    if (matching <= OpenGeneration.MAX_LISTED_MATCHES) {
      docs = listMatches(g.searcher, filter, matching);
    } else if (g.clusters.isPresent()
        && tuning.clusterCandidates() > 0
        && g.reserveGroupedBytes(g.clusters.get().groupedBytes(matching))) {
      grouped = g.clusters.get().group(listMatches(g.searcher, filter, matching));
    }
    return new OpenGeneration.FilterChoice(
        matching,
        g.quantized && scans(tuning, g.searcher, filter, matching),
        patienceUnder(tuning, matching, g.reader.numDocs()),
        docs,
        grouped);
  }

  /**
   * The live documents {@code filter} matches, {@code matching} of them, as ascending top-level doc
   * ids.
   */
  static int[] listMatches(IndexSearcher searcher, Query filter, int matching) throws IOException {
    int[] docs = new int[matching];
    MatchingDocs.forEach(
        searcher,
        filter,
        new MatchingDocs.SegmentVisitor() {
          int base;
          int n;

          @Override
          public void startSegment(LeafReaderContext segment) {
            base = segment.docBase;
          }

          @Override
          public void match(int doc) {
            docs[n++] = base + doc;
          }
        });
    return docs;
  }

  /**
   * The graph walk for {@code candidates} nearest neighbours of {@code vector} among the documents
   * {@code filter} matches (all when null): Lucene's walk under the filter, which stops early after
   * more than {@code patience} candidates in a row that added almost nothing (0: never).
   */
  static Query walk(KnnTuning tuning, float[] vector, int candidates, Query filter, int patience) {
    KnnFloatVectorQuery query =
        new KnnFloatVectorQuery(
            IndexSchema.VECTOR,
            vector,
            candidates,
            filter,
            new KnnSearchStrategy.Hnsw(tuning.filteredSearchThreshold()));
    return patience == 0
        ? query
        : PatienceKnnVectorQuery.fromFloatQuery(query, KnnTuning.SATURATION, patience);
  }

  /**
   * The patience of a walk under a filter matching {@code matching} of {@code documents}: the
   * tuning's when the filter matches at least {@value KnnTuning#PATIENT_FILTER_MIN_PERCENT}% of
   * them, otherwise none (an unfiltered walk has the tuning's).
   */
  static int patienceUnder(KnnTuning tuning, int matching, int documents) {
    return matching * 100L >= (long) KnnTuning.PATIENT_FILTER_MIN_PERCENT * documents
        ? tuning.walkPatience()
        : 0;
  }

  /**
   * Whether a quantized index answers {@code filter}, which matches {@code matching} documents, by
   * a scan rather than a graph walk: when it matches under {@link KnnTuning#scanBelowPercent()} of
   * the documents, or when its matches fill under {@link KnnTuning#scanBlocksBelowPercent()} of the
   * index's blocks (counted only for filters that could pass: a block holds at most {@value
   * #SCAN_BLOCK_DOCS} matches, so the blocks' share is never below the documents').
   */
  static boolean scans(KnnTuning tuning, IndexSearcher searcher, Query filter, int matching)
      throws IOException {
    long docs = searcher.getIndexReader().numDocs();
    if (matching * 100L < (long) tuning.scanBelowPercent() * docs) {
      return true;
    }
    return matching * 100L < (long) tuning.scanBlocksBelowPercent() * docs
        && blockShare(searcher, filter) * 100 < tuning.scanBlocksBelowPercent();
  }

  /**
   * Documents per block when {@link #blockShare} counts the blocks a filter touches: about one 4 KB
   * page of 4096-d BBQ codes (526 bytes each), the unit a scan reads from memory.
   */
  static final int SCAN_BLOCK_DOCS = 8;

  /**
   * The share of the index's blocks of {@value #SCAN_BLOCK_DOCS} consecutive documents that hold at
   * least one live document {@code filter} matches, between 0 and 1.
   */
  static double blockShare(IndexSearcher searcher, Query filter) throws IOException {
    long blocks = 0;
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      blocks += (leaf.reader().maxDoc() + SCAN_BLOCK_DOCS - 1) / SCAN_BLOCK_DOCS;
    }
    class BlockCounter implements MatchingDocs.SegmentVisitor {
      long touched;
      int last;

      @Override
      public void startSegment(LeafReaderContext segment) {
        last = -1;
      }

      @Override
      public void match(int doc) {
        int block = doc / SCAN_BLOCK_DOCS;
        if (block != last) {
          touched++;
          last = block;
        }
      }
    }
    BlockCounter counter = new BlockCounter();
    MatchingDocs.forEach(searcher, filter, counter);
    return blocks == 0 ? 0 : (double) counter.touched / blocks;
  }

  /**
   * Scores {@code docs} exactly with their raw float vectors (a quantized graph's scores are
   * approximate) and returns the best {@code depth} in order.
   */
  private static List<Ranking.Scored<Integer>> rescore(
      OpenGeneration g, float[] vector, int[] docs, int depth) throws IOException {
    int[] sorted = docs.clone();
    Arrays.sort(sorted);
    float[] scores = new float[sorted.length];
    int[] ords = new int[sorted.length];
    List<LeafReaderContext> leaves = g.reader.leaves();
    for (int from = 0, to; from < sorted.length; from = to) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sorted[from], leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      KnnVectorValues.DocIndexIterator it = values == null ? null : values.iterator();
      int end = leaf.docBase + leaf.reader().maxDoc();
      for (to = from; to < sorted.length && sorted[to] < end; to++) {
        int local = sorted[to] - leaf.docBase;
        if (it == null
            || (it.docID() < local && it.advance(local) != local)
            || it.docID() != local) {
          throw new IllegalStateException(
              "document " + sorted[to] + " of generation " + g.generation + " has no vector");
        }
        ords[to] = it.index();
      }
      FloatScores.of(g.vectors, values, vector).score(ords, from, to, scores);
    }
    // The best depth by score, the lower doc first on a tie (docs are ascending), selected
    // without an object per candidate: a cluster probe scores a thousand or more.
    int keep = Math.min(depth, sorted.length);
    float threshold =
        keep == 0
            ? Float.POSITIVE_INFINITY
            : QuantizedScan.TopScores.kthLargest(scores, scores.length, keep);
    int ties = keep;
    for (float score : scores) {
      if (score > threshold) {
        ties--;
      }
    }
    List<Ranking.Scored<Integer>> byScore = new ArrayList<>(keep);
    for (int i = 0; i < sorted.length; i++) {
      if (scores[i] > threshold || (scores[i] == threshold && ties-- > 0)) {
        byScore.add(new Ranking.Scored<>(sorted[i], null, scores[i]));
      }
    }
    byScore.sort(BY_SCORE_THEN_DOC);
    // Ids are looked up for the page and its tie margin only.
    return withIds(g, byScore);
  }

  /** {@code scored} with their product ids, in {@link Ranking#ORDER}. */
  private static List<Ranking.Scored<Integer>> withIds(
      OpenGeneration g, java.util.Collection<Ranking.Scored<Integer>> scored) throws IOException {
    int[] docs = new int[scored.size()];
    int i = 0;
    for (Ranking.Scored<Integer> s : scored) {
      docs[i++] = s.doc();
    }
    String[] ids = g.idsOf(docs);
    List<Ranking.Scored<Integer>> named = new ArrayList<>(docs.length);
    i = 0;
    for (Ranking.Scored<Integer> s : scored) {
      named.add(new Ranking.Scored<>(s.doc(), ids[i++], s.score()));
    }
    named.sort(Ranking.ORDER);
    return named;
  }

  /**
   * Matches an exact search scores at once: enough for {@link FloatScores} to read several at a
   * time.
   */
  private static final int EXACT_BATCH = 64;

  /**
   * Scores every vector the filter matches: the exact answer, for verification and small filters.
   */
  private List<Ranking.Scored<Integer>> exactNearest(
      OpenGeneration g, float[] vector, Query filter, int depth) throws IOException {
    PriorityQueue<Ranking.Scored<Integer>> heap =
        new PriorityQueue<>(
            depth + 1,
            (a, b) ->
                a.score() != b.score()
                    ? Double.compare(a.score(), b.score())
                    : Integer.compare(b.doc(), a.doc()));
    MatchingDocs.VectorBatches scorer =
        new MatchingDocs.VectorBatches(EXACT_BATCH) {
          final float[] scores = new float[EXACT_BATCH];
          FloatScores floats;

          @Override
          FloatVectorValues vectors(LeafReaderContext segment) throws IOException {
            FloatVectorValues values = segment.reader().getFloatVectorValues(IndexSchema.VECTOR);
            floats = values == null ? null : FloatScores.of(g.vectors, values, vector);
            return values;
          }

          @Override
          void batch(int[] docs, int[] ords, int count) throws IOException {
            floats.score(ords, 0, count, scores);
            for (int i = 0; i < count; i++) {
              heap.add(new Ranking.Scored<>(docs[i], null, scores[i]));
              if (heap.size() > depth) {
                heap.poll();
              }
            }
          }
        };
    MatchingDocs.forEach(g.searcher, filter, scorer);
    scorer.flush();
    return withIds(g, heap);
  }
}
