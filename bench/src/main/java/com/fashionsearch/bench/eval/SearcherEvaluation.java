package com.fashionsearch.bench.eval;

import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.searcher.FacetCounts;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchHit;
import com.fashionsearch.searcher.SearchOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Retrieval quality measured through {@link ProductSearcher}, the path users get: every query is a
 * {@link ProductSearcher#similarToItem} (a product of the index, left out of its own results) or a
 * {@link ProductSearcher#similarToEmbedding} (an image embedded by the index's model, as an upload
 * is), so the searcher's planner, quantized scans, rescoring and any learned projection are all
 * measured.
 *
 * <p>A result is relevant at a level when it carries the query's label there: {@code articleType},
 * {@code articleType+baseColour} (same kind of product AND same colour: visual agreement, which a
 * space that became a classifier and forgot what things look like loses), {@code subCategory} and
 * {@code masterCategory}. P@k counts relevant results among the first k; AP@k is {@code (1 / min(k,
 * R)) * sum over ranks i <= k of P@i * rel(i)} with R the relevant products in the index (the query
 * itself not counted), taken from the searcher's facet counts. A query with an empty label, or R =
 * 0, is not counted at that level.
 *
 * <p>Thread-safe (immutable configuration; each run has its own state).
 */
public final class SearcherEvaluation {
  /** The levels at which relevance is judged, in report order. */
  public static final List<String> LEVELS =
      List.of("articleType", "articleType+baseColour", "subCategory", "masterCategory");

  /**
   * One query.
   *
   * @param id the product id (left out of its own results if the index holds it)
   * @param labels the product's attributes by column name
   * @param embedding the image's embedding by the index's model; empty: the index's own vector of
   *     product {@code id} (leave-one-out)
   */
  public record Query(String id, Map<String, String> labels, Optional<float[]> embedding) {
    public Query {
      Objects.requireNonNull(id, "id");
      labels = Map.copyOf(labels);
      Objects.requireNonNull(embedding, "embedding");
    }
  }

  private final int k;

  /**
   * @param k the cut-off, 1 to {@link SearchOptions#MAX_K}
   */
  public SearcherEvaluation(int k) {
    if (k < 1 || k > SearchOptions.MAX_K) {
      throw new IllegalArgumentException(
          "k must be between 1 and " + SearchOptions.MAX_K + ", got: " + k);
    }
    this.k = k;
  }

  /** The cut-off. */
  public int k() {
    return k;
  }

  /** Runs the queries and adds their figures to {@code into} (which may hold earlier folds). */
  public Figures run(
      ProductSearcher searcher, List<Query> queries, ProgressListener progress, Figures into) {
    RelevantCounts relevant = new RelevantCounts(searcher);
    progress.start("evaluating " + queries.size() + " queries", queries.size());
    try {
      for (Query q : queries) {
        List<SearchHit> hits = search(searcher, q);
        boolean inIndex = q.embedding().isEmpty() || searcher.item(q.id()).isPresent();
        String group = q.labels().getOrDefault("masterCategory", "");
        for (String level : LEVELS) {
          String label = label(q.labels(), level);
          if (label.isEmpty()) {
            into.skipped(level);
            continue;
          }
          long r = relevant.count(level, label) - (inIndex ? 1 : 0);
          if (r <= 0) {
            into.skipped(level);
            continue;
          }
          int found = 0;
          double sumPrecision = 0;
          for (int i = 0; i < hits.size(); i++) {
            if (label(hits.get(i).item().attributes(), level).equals(label)) {
              found++;
              sumPrecision += found / (double) (i + 1);
            }
          }
          into.add(level, group, found / (double) k, sumPrecision / Math.min(k, r));
        }
        progress.advance(1);
      }
    } finally {
      progress.close();
    }
    return into;
  }

  private List<SearchHit> search(ProductSearcher searcher, Query q) {
    SearchOptions top = SearchOptions.top(k);
    List<SearchHit> hits =
        q.embedding().isPresent()
            ? searcher
                .similarToEmbedding(
                    q.embedding().get(),
                    SearchFilters.NONE,
                    SearchOptions.top(Math.min(k + 1, SearchOptions.MAX_K)))
                .hits()
            : searcher.similarToItem(q.id(), SearchFilters.NONE, top).hits();
    List<SearchHit> kept = new ArrayList<>(k);
    for (SearchHit h : hits) {
      if (!h.item().id().equals(q.id()) && kept.size() < k) {
        kept.add(h);
      }
    }
    return kept;
  }

  /** The value of {@code level} in {@code attributes}: one column, or two joined by {@code +}. */
  static String label(Map<String, String> attributes, String level) {
    int plus = level.indexOf('+');
    if (plus < 0) {
      return attributes.getOrDefault(level, "").strip();
    }
    String a = attributes.getOrDefault(level.substring(0, plus), "").strip();
    String b = attributes.getOrDefault(level.substring(plus + 1), "").strip();
    return a.isEmpty() || b.isEmpty() ? "" : a + "+" + b;
  }

  /** How many products of the index carry a label, from the searcher's facet counts. */
  private static final class RelevantCounts {
    private final ProductSearcher searcher;
    private final Map<String, Long> counts = new HashMap<>();
    private FacetCounts all;

    RelevantCounts(ProductSearcher searcher) {
      this.searcher = searcher;
    }

    long count(String level, String label) {
      return counts.computeIfAbsent(
          level + "=" + label,
          key -> {
            int plus = level.indexOf('+');
            if (plus < 0) {
              if (all == null) {
                all = searcher.facets(SearchFilters.NONE);
              }
              return all.counts().getOrDefault(level, Map.of()).getOrDefault(label, 0L);
            }
            String first = level.substring(0, plus);
            String second = level.substring(plus + 1);
            String[] parts = label.split("\\+", 2);
            FacetCounts within = searcher.facets(SearchFilters.NONE.and(first, parts[0]));
            return within.counts().getOrDefault(second, Map.of()).getOrDefault(parts[1], 0L);
          });
    }
  }

  /**
   * Mean P@k and AP@k per level and, for each level, per masterCategory of the query; accumulates
   * over runs (folds). Not thread-safe.
   */
  public static final class Figures {
    private final int k;
    private final Map<String, double[]> byLevel = new LinkedHashMap<>();
    private final Map<String, Map<String, double[]>> byGroup = new LinkedHashMap<>();
    private final Map<String, Integer> skipped = new TreeMap<>();

    public Figures(int k) {
      this.k = k;
      for (String level : LEVELS) {
        byLevel.put(level, new double[3]);
        byGroup.put(level, new TreeMap<>());
      }
    }

    void add(String level, String group, double precision, double averagePrecision) {
      double[] s = byLevel.get(level);
      s[0] += precision;
      s[1] += averagePrecision;
      s[2]++;
      double[] g = byGroup.get(level).computeIfAbsent(group, x -> new double[3]);
      g[0] += precision;
      g[1] += averagePrecision;
      g[2]++;
    }

    void skipped(String level) {
      skipped.merge(level, 1, Integer::sum);
    }

    /** Mean P@k at {@code level}. */
    public double precision(String level) {
      double[] s = byLevel.get(level);
      return s[2] == 0 ? 0 : s[0] / s[2];
    }

    /** Mean AP@k at {@code level}. */
    public double averagePrecision(String level) {
      double[] s = byLevel.get(level);
      return s[2] == 0 ? 0 : s[1] / s[2];
    }

    /** Mean P@k at {@code level} for queries of one masterCategory. */
    public double precision(String level, String masterCategory) {
      double[] s = byGroup.get(level).get(masterCategory);
      return s == null || s[2] == 0 ? 0 : s[0] / s[2];
    }

    /** Queries counted at {@code level}. */
    public int queries(String level) {
      return (int) byLevel.get(level)[2];
    }

    /** The table and per-masterCategory lines, each starting with {@code prefix}. */
    public String format(String prefix) {
      StringBuilder out = new StringBuilder();
      for (String level : LEVELS) {
        out.append(
            String.format(
                Locale.ROOT,
                "%s%-24s P@%d=%.3f  mAP@%d=%.3f  (%d queries%s)%n",
                prefix,
                level,
                k,
                precision(level),
                k,
                averagePrecision(level),
                queries(level),
                skipped.containsKey(level)
                    ? ", " + skipped.get(level) + " without label or relevant product"
                    : ""));
      }
      for (String level : List.of("articleType", "articleType+baseColour")) {
        StringBuilder groups = new StringBuilder();
        byGroup
            .get(level)
            .forEach(
                (g, s) ->
                    groups.append(
                        String.format(
                            Locale.ROOT,
                            "  %s %.3f (%d)",
                            g.isEmpty() ? "(none)" : g,
                            s[2] == 0 ? 0 : s[0] / s[2],
                            (int) s[2])));
        out.append(
            String.format(
                Locale.ROOT, "%sP@%d[%s] per masterCategory:%s%n", prefix, k, level, groups));
      }
      return out.toString();
    }

    /** The one machine-readable line: {@code k=10 P@10[articleType]=.. ...}. */
    public String summary() {
      StringBuilder s = new StringBuilder("k=" + k);
      for (String level : LEVELS) {
        s.append(String.format(Locale.ROOT, " P@%d[%s]=%.3f", k, level, precision(level)));
        if (level.equals("articleType")) {
          s.append(
              String.format(Locale.ROOT, " mAP@%d[%s]=%.3f", k, level, averagePrecision(level)));
        }
      }
      return s.toString();
    }
  }
}
