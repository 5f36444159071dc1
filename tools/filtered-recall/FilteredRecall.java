package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Similar products under a filter, in process, on one generation: for random products of the
 * index, the planner's top 10 (the product itself left out, as {@code /api/items/{id}/similar}
 * does) against the exact top 10, and the mean time per query, for each {@code clusterCandidates}
 * given (0: the generation's clusters unused) and each filter. Lives in the searcher's package to
 * reach the planner; see run.sh.
 *
 * <p>Arguments: GENERATION_DIR FILTER... where FILTER is {@code none} or {@code field=value}.
 * Properties: {@code -Dm=0,1000} the clusterCandidates values, {@code -Dq=300} the queries,
 * {@code -Dreps=2} the passes (the first warms up).
 */
public class FilteredRecall {
  public static void main(String[] args) throws Exception {
    OpenGeneration g = OpenGeneration.open(0, Path.of(args[0]), null);
    int n = g.reader.maxDoc();
    Random random = new Random(7);
    int queries = Integer.getInteger("q", 300);
    int reps = Integer.getInteger("reps", 2);
    int[] products = new int[queries];
    for (int i = 0; i < queries; i++) {
      products[i] = random.nextInt(n);
    }
    LeafReaderContext leaf = g.reader.leaves().get(0);
    FloatVectorValues raw =
        g.vectors.rawVectors(leaf.reader().getFloatVectorValues(IndexSchema.VECTOR));
    int[] candidates =
        Arrays.stream(System.getProperty("m", "0,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    System.out.printf(
        "generation %s: %d products, %d-d, %s, %s%n",
        args[0],
        n,
        raw.dimension(),
        g.quantized ? "quantized" : "float",
        g.clusters.map(c -> c.clusters() + " clusters").orElse("no clusters"));
    for (int f = 1; f < args.length; f++) {
      String[] spec = args[f].split("=", 2);
      Query filter = args[f].equals("none") ? null : new TermQuery(new Term(spec[0], spec[1]));
      int matching = filter == null ? n : g.searcher.count(filter);
      KnnPlanner exactPlanner = new KnnPlanner(KnnTuning.DEFAULT, new QuantizedScan(1));
      List<Set<Integer>> exact = new ArrayList<>();
      for (int p : products) {
        Set<Integer> top = new HashSet<>();
        for (var s :
            exactPlanner.nearest(
                g, raw.vectorValue(p).clone(), filter, p, new SearchOptions(10, 0, true), 10)) {
          top.add(s.doc());
        }
        exact.add(top);
      }
      for (int rep = 0; rep < reps; rep++) {
        StringBuilder line =
            new StringBuilder(
                String.format("filtered-recall filter=%s matching=%d rep=%d", args[f], matching, rep));
        for (int m : candidates) {
          KnnPlanner planner =
              new KnnPlanner(KnnTuning.DEFAULT.withClusterCandidates(m), new QuantizedScan(1));
          long nanos = 0;
          double recall = 0;
          for (int i = 0; i < queries; i++) {
            float[] v = raw.vectorValue(products[i]).clone();
            long start = System.nanoTime();
            var got = planner.nearest(g, v, filter, products[i], new SearchOptions(10, 0, false), 10);
            nanos += System.nanoTime() - start;
            int hits = 0;
            for (var s : got) {
              if (exact.get(i).contains(s.doc())) {
                hits++;
              }
            }
            recall += exact.get(i).isEmpty() ? 1 : hits / (double) exact.get(i).size();
          }
          line.append(
              String.format(
                  " clusterCandidates=%d mean_ms=%.3f recall@10=%.3f",
                  m, nanos / 1e6 / queries, recall / queries));
        }
        System.out.println(line);
      }
    }
    g.release();
  }
}
