package com.fashionsearch.bench.eval;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one {@link RetrievalEvaluation} run: mean P@k and mAP@k per label level and search
 * method, the articleType figures per masterCategory of the query, and how much of the exact top-k
 * the graph search found. Immutable and thread-safe.
 */
public final class EvaluationReport {
  /** How the neighbours were found. */
  public enum Method {
    /** A scan of every vector. */
    EXACT,
    /** Lucene's HNSW graph, as the product searches. */
    GRAPH
  }

  /** Mean precision and average precision over {@code queries} queries. */
  public record Score(double precision, double averagePrecision, int queries) {}

  private final int k;
  private final int queries;
  private final boolean leaveOneOut;
  private final Map<Method, List<Score>> byLevel;
  private final Map<Method, Map<String, Score>> byGroup;
  private final int[] skipped;
  private final double graphRecall;
  private final int heldOutInIndex;
  private final boolean graphMeasured;

  private EvaluationReport(Builder b) {
    this.graphMeasured = b.graphMeasured;
    this.k = b.k;
    this.queries = b.queries;
    this.leaveOneOut = b.leaveOneOut;
    Map<Method, List<Score>> levels = new EnumMap<>(Method.class);
    Map<Method, Map<String, Score>> groups = new EnumMap<>(Method.class);
    for (Method m : Method.values()) {
      double[][] sums = b.levelSums.get(m);
      levels.put(
          m,
          java.util.stream.IntStream.range(0, sums.length).mapToObj(l -> score(sums[l])).toList());
      Map<String, Score> g = new TreeMap<>();
      b.groupSums.get(m).forEach((name, s) -> g.put(name, score(s)));
      groups.put(m, Map.copyOf(g));
    }
    this.byLevel = levels;
    this.byGroup = groups;
    this.skipped = b.skipped.clone();
    this.graphRecall = b.overlapCount == 0 ? 1 : b.overlapSum / b.overlapCount;
    this.heldOutInIndex = b.heldOutInIndex;
  }

  private static Score score(double[] s) {
    int n = (int) s[2];
    return new Score(n == 0 ? 0 : s[0] / n, n == 0 ? 0 : s[1] / n, n);
  }

  public int k() {
    return k;
  }

  /** Mean P@k and mAP@k at {@code level} (an index into {@link LabeledVector#LEVELS}). */
  public Score score(Method method, int level) {
    return byLevel.get(method).get(level);
  }

  /** The articleType figures per masterCategory of the query, by name. */
  public Map<String, Score> byMasterCategory(Method method) {
    return new TreeMap<>(byGroup.get(method));
  }

  /** Whether graph search was measured (not for in-memory exact-only runs). */
  public boolean graphMeasured() {
    return graphMeasured;
  }

  /** The mean share of the exact top-k that the graph search returned too. */
  public double graphRecall() {
    return graphRecall;
  }

  /**
   * The one summary line, from graph search (what the product serves; exact search when the graph
   * was not measured): {@code eval k=10 P@10[articleType]=0.812 mAP@10[articleType]=0.745
   * P@10[subCategory]=0.901 P@10[masterCategory]=0.973}.
   */
  public String summaryLine() {
    Method m = graphMeasured ? Method.GRAPH : Method.EXACT;
    return String.format(
        Locale.ROOT,
        "eval k=%d P@%d[articleType]=%.3f mAP@%d[articleType]=%.3f P@%d[subCategory]=%.3f"
            + " P@%d[masterCategory]=%.3f",
        k,
        k,
        score(m, 0).precision(),
        k,
        score(m, 0).averagePrecision(),
        k,
        score(m, 1).precision(),
        k,
        score(m, 2).precision());
  }

  /** The full report as text, the summary line last. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d queries (%s), k=%d%n",
            queries,
            leaveOneOut ? "leave-one-out over the index" : "held out",
            k));
    if (heldOutInIndex > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "note: %d held-out queries are also in the index; each was left out of its own"
                  + " results%n",
              heldOutInIndex));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%-22s %8s %8s   %8s %8s   %7s%n",
            "relevant = same",
            "exact P",
            "mAP",
            "graph P",
            "mAP",
            "queries"));
    for (int level = 0; level < LabeledVector.LEVELS.size(); level++) {
      Score e = score(Method.EXACT, level);
      Score g = score(Method.GRAPH, level);
      sb.append(
          String.format(
              Locale.ROOT,
              "%-22s %8.3f %8.3f   %8.3f %8.3f   %7d%s%n",
              LabeledVector.LEVELS.get(level),
              e.precision(),
              e.averagePrecision(),
              g.precision(),
              g.averagePrecision(),
              e.queries(),
              skipped[level] > 0
                  ? "  (" + skipped[level] + " without a relevant product, not counted)"
                  : ""));
    }
    sb.append(String.format(Locale.ROOT, "same articleType, by the query's masterCategory:%n"));
    Map<String, Score> exact = byMasterCategory(Method.EXACT);
    Map<String, Score> graph = byMasterCategory(Method.GRAPH);
    for (Map.Entry<String, Score> e : exact.entrySet()) {
      Score g = graph.get(e.getKey());
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-20s %8.3f %8.3f   %8.3f %8.3f   %7d%n",
              e.getKey().isEmpty() ? "(none)" : e.getKey(),
              e.getValue().precision(),
              e.getValue().averagePrecision(),
              g.precision(),
              g.averagePrecision(),
              e.getValue().queries()));
    }
    if (graphMeasured) {
      sb.append(
          String.format(
              Locale.ROOT,
              "graph search returned %.1f%% of the exact top-%d%n",
              100 * graphRecall,
              k));
    } else {
      sb.append(
              "graph search not measured (exact search in memory): its columns repeat the exact"
                  + " ones")
          .append(System.lineSeparator());
    }
    sb.append(summaryLine()).append(System.lineSeparator());
    return sb.toString();
  }

  /** Accumulates per-query scores. Not thread-safe. */
  static final class Builder {
    private final int k;
    private final int queries;
    private final boolean leaveOneOut;
    private final Map<Method, double[][]> levelSums = new EnumMap<>(Method.class);
    private final Map<Method, Map<String, double[]>> groupSums = new EnumMap<>(Method.class);
    private final int[] skipped = new int[LabeledVector.LEVELS.size()];
    private double overlapSum;
    private int overlapCount;
    private int heldOutInIndex;
    private final boolean graphMeasured;

    Builder(int k, int queries, boolean leaveOneOut, boolean graphMeasured) {
      this.graphMeasured = graphMeasured;
      this.k = k;
      this.queries = queries;
      this.leaveOneOut = leaveOneOut;
      for (Method m : Method.values()) {
        levelSums.put(m, new double[LabeledVector.LEVELS.size()][3]);
        groupSums.put(m, new TreeMap<>());
      }
    }

    void add(Method method, int level, String group, double[] precisionAndAp) {
      double[] s = levelSums.get(method)[level];
      s[0] += precisionAndAp[0];
      s[1] += precisionAndAp[1];
      s[2]++;
      if (level == 0) {
        double[] g = groupSums.get(method).computeIfAbsent(group, x -> new double[3]);
        g[0] += precisionAndAp[0];
        g[1] += precisionAndAp[1];
        g[2]++;
      }
    }

    void skipped(int level) {
      skipped[level]++;
    }

    void overlap(double share) {
      overlapSum += share;
      overlapCount++;
    }

    void heldOutQueryInIndex() {
      heldOutInIndex++;
    }

    EvaluationReport build() {
      return new EvaluationReport(this);
    }
  }
}
