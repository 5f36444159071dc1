package com.fashionsearch.bench.eval;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Precision@k and mAP@k of an index's nearest neighbours, where a result is relevant when it has
 * the query's label: articleType, and also subCategory and masterCategory. Both exact search (a
 * scan of every vector) and graph search (Lucene's HNSW, as the product searches) are measured on
 * the same queries. The queries are either every product of the index, left out of its own results
 * (leave-one-out), or held-out products with their own vectors; a held-out query whose id is in the
 * index is also left out of its results.
 *
 * <p>AP@k of a query is {@code (1 / min(k, R)) * sum over ranks i <= k of P@i * rel(i)}, with
 * {@code R} the number of relevant products in the index (the query itself not counted); a query
 * with an empty label or {@code R = 0} at a level is not counted at that level. Equal scores rank
 * by id. Thread-safe (immutable configuration; each call has its own state).
 */
public final class RetrievalEvaluation {
  /**
   * The graph search collects at least this many candidates, as the product's default tuning does
   * ({@code KnnTuning.DEFAULT.minCandidates()}; a constant, for command-line defaults).
   */
  public static final int DEFAULT_GRAPH_CANDIDATES = 150;

  private final int k;
  private final int graphCandidates;

  /**
   * @param k the cut-off, 1 to 1000
   * @param graphCandidates the HNSW beam (at least {@code k + 1} is used)
   * @throws IllegalArgumentException for a k or candidate count out of range
   */
  public RetrievalEvaluation(int k, int graphCandidates) {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k must be between 1 and 1000, got: " + k);
    }
    if (graphCandidates < 1) {
      throw new IllegalArgumentException(
          "graphCandidates must be at least 1, got: " + graphCandidates);
    }
    this.k = k;
    this.graphCandidates = graphCandidates;
  }

  /** Every product of the index as a query, left out of its own results. */
  public EvaluationReport leaveOneOut(EvaluationIndex index, ProgressListener progress) {
    return evaluate(index, index.items(), index.items(), true, progress);
  }

  /**
   * Leave-one-out by exact search only over vectors in memory (no index): for comparing feature
   * variants quickly. The report has no graph figures.
   */
  public EvaluationReport leaveOneOutExact(List<LabeledVector> items, ProgressListener progress) {
    return evaluate(null, items, items, true, progress);
  }

  /** Held-out queries (their vectors made by the index's model). */
  public EvaluationReport heldOut(
      EvaluationIndex index, List<LabeledVector> queries, ProgressListener progress) {
    return evaluate(index, index.items(), queries, false, progress);
  }

  private EvaluationReport evaluate(
      EvaluationIndex index,
      List<LabeledVector> items,
      List<LabeledVector> queries,
      boolean leaveOneOut,
      ProgressListener progress) {
    if (items.size() < 2) {
      throw new IllegalArgumentException(
          "the index needs at least 2 products to evaluate, has " + items.size());
    }
    int dim = items.get(0).vector().length;
    for (LabeledVector q : queries) {
      if (q.vector().length != dim) {
        throw new IllegalArgumentException(
            "query " + q.id() + " has dimension " + q.vector().length + ", the index " + dim);
      }
    }
    List<Map<String, Integer>> labelCounts = new ArrayList<>();
    for (int level = 0; level < LabeledVector.LEVELS.size(); level++) {
      Map<String, Integer> counts = new HashMap<>();
      for (LabeledVector item : items) {
        counts.merge(item.label(level), 1, Integer::sum);
      }
      labelCounts.add(counts);
    }
    Map<String, Integer> itemById = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      itemById.put(items.get(i).id(), i);
    }

    boolean withGraph = index != null;
    progress.start(
        "evaluating "
            + queries.size()
            + " queries ("
            + (withGraph ? "exact and graph" : "exact")
            + ")",
        (withGraph ? 2L : 1L) * queries.size());
    int[][] exact = new int[queries.size()][];
    IntStream.range(0, queries.size())
        .parallel()
        .forEach(
            qi -> {
              LabeledVector q = queries.get(qi);
              exact[qi] = exactTopK(items, q.vector(), itemById.getOrDefault(q.id(), -1));
              progress.advance(1);
            });
    int[][] graph = withGraph ? new int[queries.size()][] : exact;
    IndexSearcher searcher = withGraph ? index.searcher() : null;
    for (int qi = 0; withGraph && qi < queries.size(); qi++) {
      LabeledVector q = queries.get(qi);
      graph[qi] = graphTopK(index, searcher, q.vector(), itemById.getOrDefault(q.id(), -1));
      progress.advance(1);
    }
    progress.close();

    EvaluationReport.Builder report =
        new EvaluationReport.Builder(k, queries.size(), leaveOneOut, withGraph);
    for (int qi = 0; qi < queries.size(); qi++) {
      LabeledVector q = queries.get(qi);
      boolean inIndex = itemById.containsKey(q.id());
      if (inIndex && !leaveOneOut) {
        report.heldOutQueryInIndex();
      }
      for (int level = 0; level < LabeledVector.LEVELS.size(); level++) {
        String label = q.label(level);
        int relevant =
            labelCounts.get(level).getOrDefault(label, 0)
                - (inIndex && items.get(itemById.get(q.id())).label(level).equals(label) ? 1 : 0);
        if (label.isEmpty() || relevant <= 0) {
          report.skipped(level);
          continue;
        }
        String group = q.label(LabeledVector.LEVELS.size() - 1);
        report.add(
            EvaluationReport.Method.EXACT,
            level,
            group,
            scores(items, exact[qi], level, label, relevant));
        report.add(
            EvaluationReport.Method.GRAPH,
            level,
            group,
            scores(items, graph[qi], level, label, relevant));
      }
      report.overlap(overlap(exact[qi], graph[qi]));
    }
    return report.build();
  }

  /** {P@k, AP@k} of one ranked list. */
  private double[] scores(
      List<LabeledVector> items, int[] ranked, int level, String label, int relevant) {
    int hits = 0;
    double sumPrecision = 0;
    for (int i = 0; i < ranked.length; i++) {
      if (items.get(ranked[i]).label(level).equals(label)) {
        hits++;
        sumPrecision += hits / (double) (i + 1);
      }
    }
    return new double[] {hits / (double) k, sumPrecision / Math.min(k, relevant)};
  }

  private static double overlap(int[] a, int[] b) {
    int common = 0;
    for (int x : a) {
      for (int y : b) {
        if (x == y) {
          common++;
          break;
        }
      }
    }
    return a.length == 0 ? 1 : common / (double) a.length;
  }

  /** The k best items by dot product, excluding {@code self}; ties by id. */
  private int[] exactTopK(List<LabeledVector> items, float[] query, int self) {
    // worst first: lower score, then larger id
    PriorityQueue<double[]> heap =
        new PriorityQueue<>(
            (x, y) -> {
              int c = Double.compare(x[0], y[0]);
              return c != 0 ? c : items.get((int) y[1]).id().compareTo(items.get((int) x[1]).id());
            });
    for (int i = 0; i < items.size(); i++) {
      if (i == self) {
        continue;
      }
      double s = dot(query, items.get(i).vector());
      if (heap.size() < k) {
        heap.add(new double[] {s, i});
      } else {
        double[] worst = heap.peek();
        if (s > worst[0]
            || (s == worst[0] && items.get(i).id().compareTo(items.get((int) worst[1]).id()) < 0)) {
          heap.poll();
          heap.add(new double[] {s, i});
        }
      }
    }
    int[] out = new int[heap.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = (int) heap.poll()[1];
    }
    return out;
  }

  /**
   * The product's graph search: the walk's candidates rescored with the exact dot product of the
   * items' raw vectors (on a quantized index the walk's scores are approximate, and the product's
   * searcher never ranks by them), then ranked by score and id.
   */
  private int[] graphTopK(EvaluationIndex index, IndexSearcher searcher, float[] query, int self) {
    int candidates = Math.max(k + 1, graphCandidates);
    TopDocs top;
    try {
      top =
          searcher.search(
              new KnnFloatVectorQuery(IndexSchema.VECTOR, query, candidates), candidates);
    } catch (IOException e) {
      throw new UncheckedIOException("graph search failed", e);
    }
    List<LabeledVector> items = index.items();
    List<Candidate> found = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      int item = index.itemOfDoc(sd.doc);
      if (item >= 0 && item != self) {
        found.add(new Candidate(item, dot(query, items.get(item).vector())));
      }
    }
    found.sort(
        (x, y) -> {
          int c = Double.compare(y.score(), x.score());
          return c != 0 ? c : items.get(x.item()).id().compareTo(items.get(y.item()).id());
        });
    return found.stream().limit(k).mapToInt(Candidate::item).toArray();
  }

  private record Candidate(int item, double score) {}

  private static double dot(float[] a, float[] b) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < a.length; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (double) s0 + s1 + s2 + s3;
  }
}
