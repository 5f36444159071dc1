package com.fashionsearch.searcher;

/**
 * How {@link LuceneProductSearcher} runs a filtered k-NN query. Immutable and thread-safe.
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
 *     LuceneProductSearcher#SCAN_BLOCK_DOCS} consecutive documents: what a scan reads is the blocks,
 *     so a filter whose matches lie in long runs of doc ids (the index is sorted by gender, then
 *     category: {@code IndexSchema.indexSort()}) costs a scan its own size, where one spread over
 *     the index costs about the whole index; at most {@code scanBelowPercent} adds nothing
 * @param walkPatience a graph walk, unfiltered or under a filter matching at least {@value
 *     #PATIENT_FILTER_MIN_PERCENT}% of the documents, stops early once its candidates have stopped
 *     changing the results it collects (under 0.5% of them new, {@link #SATURATION}) for more than
 *     this many candidates in a row: Lucene's {@link org.apache.lucene.search.PatienceKnnVectorQuery}
 *     (Teofili and Lin, ECIR 2025), 0 to walk until the usual end
 */
public record KnnTuning(
    int minCandidates,
    int filteredSearchThreshold,
    int exactBelow,
    int oversample,
    int scanBelowPercent,
    int scanBlocksBelowPercent,
    int walkPatience) {
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
   * The defaults, chosen from the figures of {@code fashion bench query} (BENCHMARKS.md): 150
   * candidates from Lucene's classic graph walk under the filter (threshold 0: the filtered-search
   * strategy lost recall to 0.82-0.92 at 6-47% selectivity on clustered 4096-d vectors), rescored
   * with the raw floats on a quantized index; and on a quantized index a filter matching under 30%
   * of the catalog scans the quantized vectors and rescores the best 300 instead (the BBQ walk under
   * such filters lost recall to 0.89-0.95, the float walk took 2x-4x longer), and so does a filter
   * whose matches fill under 45% of the index's blocks (on the sorted index, a filter on gender
   * matching 39% of the catalog in one run was scanned in 3.9 ms against the walk's 4.3-4.9 ms, at
   * recall 0.992 against 0.955; one on a category matching 47% in five runs was walked faster).
   * Lucene still answers a filter matching fewer documents than the walk would visit by an exact
   * scan. An unfiltered walk, or one under a filter of 45% or more, stops once over 20 candidates in
   * a row have added almost nothing to its results: unfiltered and under filters of 47-78% it took
   * 27-39% less time, at recall 0.981-1.000 against 0.988-1.000 (Lucene's own default patience, 45 at
   * 150 candidates, saved 7-22%).
   */
  public static final KnnTuning DEFAULT = new KnnTuning(150, 0, 0, 1, 30, 45, 20);

  public KnnTuning {
    if (minCandidates < 1 || minCandidates > 10_000) {
      throw new IllegalArgumentException("minCandidates must be between 1 and 10000, got: " + minCandidates);
    }
    if (filteredSearchThreshold < 0 || filteredSearchThreshold > 100) {
      throw new IllegalArgumentException(
          "filteredSearchThreshold must be between 0 and 100, got: " + filteredSearchThreshold);
    }
    if (exactBelow < 0) {
      throw new IllegalArgumentException("exactBelow must not be negative, got: " + exactBelow);
    }
    if (oversample < 1 || oversample > 100) {
      throw new IllegalArgumentException("oversample must be between 1 and 100, got: " + oversample);
    }
    if (scanBelowPercent < 0 || scanBelowPercent > 100) {
      throw new IllegalArgumentException("scanBelowPercent must be between 0 and 100, got: " + scanBelowPercent);
    }
    if (scanBlocksBelowPercent < 0 || scanBlocksBelowPercent > 100) {
      throw new IllegalArgumentException(
          "scanBlocksBelowPercent must be between 0 and 100, got: " + scanBlocksBelowPercent);
    }
    if (walkPatience < 0 || walkPatience > 10_000) {
      throw new IllegalArgumentException("walkPatience must be between 0 and 10000, got: " + walkPatience);
    }
  }

  /** A walk without patience: the tuning before walks stopped early. */
  public KnnTuning(
      int minCandidates,
      int filteredSearchThreshold,
      int exactBelow,
      int oversample,
      int scanBelowPercent,
      int scanBlocksBelowPercent) {
    this(minCandidates, filteredSearchThreshold, exactBelow, oversample, scanBelowPercent, scanBlocksBelowPercent, 0);
  }

  /** No scan by blocks beyond {@code scanBelowPercent}: the tuning before blocks were counted. */
  public KnnTuning(int minCandidates, int filteredSearchThreshold, int exactBelow, int oversample, int scanBelowPercent) {
    this(minCandidates, filteredSearchThreshold, exactBelow, oversample, scanBelowPercent, 0, 0);
  }

  /** For float indexes: a quantized index is walked, never scanned, and only its candidates rescored. */
  public KnnTuning(int minCandidates, int filteredSearchThreshold, int exactBelow) {
    this(minCandidates, filteredSearchThreshold, exactBelow, 1, 0, 0, 0);
  }
}
