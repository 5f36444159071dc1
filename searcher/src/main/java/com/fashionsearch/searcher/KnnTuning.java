package com.fashionsearch.searcher;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How {@link LuceneProductSearcher} runs a filtered k-NN query. Immutable and thread-safe. Start
 * from {@link #DEFAULT} (or {@link #WALK_ONLY}) and change settings by name: {@code
 * KnnTuning.DEFAULT.withMinCandidates(100).withScanBelowPercent(50)}, or {@link #parse} {@code
 * "minCandidates=100,scanBelowPercent=50"}.
 *
 * @param minCandidates the graph search collects at least this many candidates, then trims to the
 *     page asked for: a wider beam, for recall
 * @param filteredSearchThreshold Lucene's filtered-search strategy threshold (percent of documents
 *     the filter must match for the graph walk to explore only matching neighbours), 0 to 100; see
 *     {@code KnnSearchStrategy.Hnsw}
 * @param exactBelow on a float index, a filter matching fewer documents than this is answered by an
 *     exact scan of the matching vectors instead of a graph walk (0: leave the choice to Lucene)
 * @param oversample on a quantized index, the graph walk collects {@code oversample} times the
 *     candidates (the page with its tie margin, at least {@code minCandidates}) by quantized score,
 *     and a scan twice that, for rescoring; 1 to 100
 * @param scanBelowPercent on a quantized index ({@code fashion reindex --quantization}), a filter
 *     matching less than this percentage of the documents is answered by a scan of the matching
 *     quantized vectors instead of a graph walk (0: never); in both cases the candidates are
 *     rescored exactly with the raw float vectors before the page is cut
 * @param scanBlocksBelowPercent on a quantized index, a filter is also scanned when the documents
 *     it matches fill less than this percentage of the index's blocks of {@value
 *     KnnPlanner#SCAN_BLOCK_DOCS} consecutive documents: what a scan reads is the blocks, so a
 *     filter whose matches lie in long runs of doc ids (the index is sorted by gender, then
 *     category: {@code IndexSchema.indexSort()}) costs a scan its own size, where one spread over
 *     the index costs about the whole index; at most {@code scanBelowPercent} adds nothing
 * @param walkPatience a graph walk, unfiltered or under a filter matching at least {@value
 *     #PATIENT_FILTER_MIN_PERCENT}% of the documents, stops early once its candidates have stopped
 *     changing the results it collects (under 0.5% of them new, {@link #SATURATION}) for more than
 *     this many candidates in a row: Lucene's {@link
 *     org.apache.lucene.search.PatienceKnnVectorQuery} (Teofili and Lin, ECIR 2025), 0 to walk
 *     until the usual end
 * @param clusterCandidates on a generation whose vectors are clustered ({@code
 *     com.fashionsearch.indexer.VectorClusters}), a query under a filter that matches more
 *     documents than it would score exactly anyway scores exactly, with the raw vectors, at least
 *     this many of the filter's matches, taken from the clusters nearest the query ({@link
 *     ClusterProbe}), instead of a walk or a scan (0: never); at least twice the walk's candidates
 */
public record KnnTuning(
    int minCandidates,
    int filteredSearchThreshold,
    int exactBelow,
    int oversample,
    int scanBelowPercent,
    int scanBlocksBelowPercent,
    int walkPatience,
    int clusterCandidates) {
  /**
   * The share of a walk's collected results that must have stayed the same since the previous
   * candidate for the candidate to count against {@code walkPatience}: Lucene's default.
   */
  public static final double SATURATION = 0.995;

  /**
   * Walks under narrower filters keep walking to the usual end: on the benchmark's float index
   * patience cost {@code masterCategory=Footwear} (24%) its recall (1.000 to 0.932), and on its BBQ
   * index a walk under {@code gender=Women} (39%) fell from 0.955 to 0.935. From 45% up it cost at
   * most 0.008.
   */
  public static final int PATIENT_FILTER_MIN_PERCENT = 45;

  /**
   * The defaults, chosen from the figures of {@code fashion bench query} (BENCHMARKS.md, "Filtered
   * k-NN queries"): 150 candidates from Lucene's classic graph walk under the filter (threshold 0:
   * the filtered-search strategy lost recall to 0.82-0.92 at 6-47% selectivity on clustered 4096-d
   * vectors), rescored with the raw floats on a quantized index; and on a quantized index a filter
   * matching under 30% of the catalog scans the quantized vectors and rescores the best 300 instead
   * (the BBQ walk under such filters lost recall to 0.89-0.95, the float walk took 2x-4x longer),
   * and so does a filter whose matches fill under 45% of the index's blocks (on the sorted index, a
   * filter on gender matching 39% of the catalog in one run was scanned in 3.9 ms against the
   * walk's 4.3-4.9 ms, at recall 0.992 against 0.955; one on a category matching 47% in five runs
   * was walked faster). Lucene still answers a filter matching fewer documents than the walk would
   * visit by an exact scan. An unfiltered walk, or one under a filter of 45% or more, stops once
   * over 20 candidates in a row have added almost nothing to its results: unfiltered and under
   * filters of 47-78% it took 27-39% less time, at recall 0.981-1.000 against 0.988-1.000 (Lucene's
   * own default patience, 45 at 150 candidates, saved 7-22%). On a generation with clusters, a
   * filter's candidates are instead 1,000 matches of the clusters nearest the query, scored with
   * the floats: on the 44,000-product real-photo index recall@10 under Footwear, Apparel and Women
   * rose from 0.42-0.52 to 0.87-1.00 at 0.43-0.62 ms against 1.0-1.7 ms
   * (docs/benchmarks-history.md, "Filtered queries from the nearest clusters").
   */
  public static final KnnTuning DEFAULT = new KnnTuning(150, 0, 0, 1, 30, 45, 20, 1000);

  public KnnTuning {
    if (minCandidates < 1 || minCandidates > 10_000) {
      throw new IllegalArgumentException(
          "minCandidates must be between 1 and 10000, got: " + minCandidates);
    }
    if (filteredSearchThreshold < 0 || filteredSearchThreshold > 100) {
      throw new IllegalArgumentException(
          "filteredSearchThreshold must be between 0 and 100, got: " + filteredSearchThreshold);
    }
    if (exactBelow < 0) {
      throw new IllegalArgumentException("exactBelow must not be negative, got: " + exactBelow);
    }
    if (oversample < 1 || oversample > 100) {
      throw new IllegalArgumentException(
          "oversample must be between 1 and 100, got: " + oversample);
    }
    if (scanBelowPercent < 0 || scanBelowPercent > 100) {
      throw new IllegalArgumentException(
          "scanBelowPercent must be between 0 and 100, got: " + scanBelowPercent);
    }
    if (scanBlocksBelowPercent < 0 || scanBlocksBelowPercent > 100) {
      throw new IllegalArgumentException(
          "scanBlocksBelowPercent must be between 0 and 100, got: " + scanBlocksBelowPercent);
    }
    if (walkPatience < 0 || walkPatience > 10_000) {
      throw new IllegalArgumentException(
          "walkPatience must be between 0 and 10000, got: " + walkPatience);
    }
    if (clusterCandidates < 0 || clusterCandidates > 1_000_000) {
      throw new IllegalArgumentException(
          "clusterCandidates must be between 0 and 1000000, got: " + clusterCandidates);
    }
  }

  /**
   * Lucene's graph walk with at least 150 candidates, rescored on a quantized index, and nothing
   * else: no filtered-search strategy, no exact scan of our own, no quantized scan, no patience.
   * The base of the benchmark's comparison strategies and of the older positional strategy form.
   */
  public static final KnnTuning WALK_ONLY = new KnnTuning(150, 0, 0, 1, 0, 0, 0, 0);

  /** The names {@link #parse} accepts, in the order of the record's components. */
  public static final List<String> NAMES =
      List.of(
          "minCandidates",
          "filteredSearchThreshold",
          "exactBelow",
          "oversample",
          "scanBelowPercent",
          "scanBlocksBelowPercent",
          "walkPatience",
          "clusterCandidates");

  /** This tuning with {@code minCandidates} changed. */
  public KnnTuning withMinCandidates(int minCandidates) {
    return with("minCandidates", minCandidates);
  }

  /** This tuning with {@code filteredSearchThreshold} changed. */
  public KnnTuning withFilteredSearchThreshold(int filteredSearchThreshold) {
    return with("filteredSearchThreshold", filteredSearchThreshold);
  }

  /** This tuning with {@code exactBelow} changed. */
  public KnnTuning withExactBelow(int exactBelow) {
    return with("exactBelow", exactBelow);
  }

  /** This tuning with {@code oversample} changed. */
  public KnnTuning withOversample(int oversample) {
    return with("oversample", oversample);
  }

  /** This tuning with {@code scanBelowPercent} changed. */
  public KnnTuning withScanBelowPercent(int scanBelowPercent) {
    return with("scanBelowPercent", scanBelowPercent);
  }

  /** This tuning with {@code scanBlocksBelowPercent} changed. */
  public KnnTuning withScanBlocksBelowPercent(int scanBlocksBelowPercent) {
    return with("scanBlocksBelowPercent", scanBlocksBelowPercent);
  }

  /** This tuning with {@code walkPatience} changed. */
  public KnnTuning withWalkPatience(int walkPatience) {
    return with("walkPatience", walkPatience);
  }

  /** This tuning with {@code clusterCandidates} changed. */
  public KnnTuning withClusterCandidates(int clusterCandidates) {
    return with("clusterCandidates", clusterCandidates);
  }

  /** This tuning with the setting named {@code name} ({@link #NAMES}) changed. */
  public KnnTuning with(String name, int value) {
    int index = NAMES.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(
          "no tuning setting is named '" + name + "'; the names are " + NAMES);
    }
    int[] v = values();
    v[index] = value;
    return new KnnTuning(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  }

  /** The settings in the order of {@link #NAMES}. */
  private int[] values() {
    return new int[] {
      minCandidates,
      filteredSearchThreshold,
      exactBelow,
      oversample,
      scanBelowPercent,
      scanBlocksBelowPercent,
      walkPatience,
      clusterCandidates
    };
  }

  /**
   * Parses tuning settings, in one of two forms:
   *
   * <ul>
   *   <li>by name, {@code minCandidates=100,scanBelowPercent=50}: each setting of {@link #NAMES} at
   *       most once, in any order; those not named keep {@link #DEFAULT}'s values. {@code default}
   *       alone is {@link #DEFAULT};
   *   <li>by position (the older form, kept for existing commands; prefer names): {@code
   *       MIN_CANDIDATES,THRESHOLD,EXACT_BELOW[,OVERSAMPLE,SCAN_BELOW_PERCENT[,SCAN_BLOCKS_BELOW_PERCENT[,WALK_PATIENCE[,CLUSTER_CANDIDATES]]]]},
   *       3 or 5 to 8 integers; absent ones are {@link #WALK_ONLY}'s (oversample 1, the others 0).
   * </ul>
   *
   * @throws IllegalArgumentException naming the part that is not a setting, or a value out of range
   */
  public static KnnTuning parse(String settings) {
    String s = settings.strip();
    if (s.equals("default")) {
      return DEFAULT;
    }
    String[] parts = s.split(",", -1);
    return s.contains("=") ? parseNamed(settings, parts) : parsePositional(settings, parts);
  }

  private static KnnTuning parseNamed(String settings, String[] parts) {
    KnnTuning tuning = DEFAULT;
    Set<String> seen = new HashSet<>();
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "tuning settings are name=value,... (names "
                + NAMES
                + "), got '"
                + part.strip()
                + "' in '"
                + settings
                + "'");
      }
      String name = part.substring(0, eq).strip();
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "tuning setting " + name + " is given twice in '" + settings + "'");
      }
      String value = part.substring(eq + 1).strip();
      try {
        tuning = tuning.with(name, Integer.parseInt(value));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "tuning setting "
                + name
                + " must be an integer, got: '"
                + value
                + "' in '"
                + settings
                + "'",
            e);
      }
    }
    return tuning;
  }

  private static KnnTuning parsePositional(String settings, String[] parts) {
    if (parts.length != 3 && (parts.length < 5 || parts.length > NAMES.size())) {
      throw new IllegalArgumentException(
          "tuning settings are name=value,... (names "
              + NAMES
              + ") or the older"
              + " MIN_CANDIDATES,THRESHOLD,EXACT_BELOW[,OVERSAMPLE,SCAN_BELOW_PERCENT[,SCAN_BLOCKS_BELOW_PERCENT[,WALK_PATIENCE[,CLUSTER_CANDIDATES]]]],"
              + " got: '"
              + settings
              + "'");
    }
    KnnTuning tuning = WALK_ONLY;
    for (int i = 0; i < parts.length; i++) {
      try {
        tuning = tuning.with(NAMES.get(i), Integer.parseInt(parts[i].strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "tuning settings' numbers must be integers, got: '" + settings + "'", e);
      }
    }
    return tuning;
  }

  /** The settings by name, every one of them, as {@link #parse} reads them back. */
  public String spec() {
    int[] v = values();
    StringBuilder spec = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      spec.append(i == 0 ? "" : ",").append(NAMES.get(i)).append('=').append(v[i]);
    }
    return spec.toString();
  }
}
