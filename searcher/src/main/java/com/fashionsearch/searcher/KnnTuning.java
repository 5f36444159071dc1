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
 */
public record KnnTuning(
    int minCandidates, int filteredSearchThreshold, int exactBelow, int oversample, int scanBelowPercent) {
  /**
   * The defaults, chosen from the figures of {@code fashion bench query} (BENCHMARKS.md): 100
   * candidates, and Lucene's classic graph walk under the filter (threshold 0: the filtered-search
   * strategy, which Lucene uses by default below 60% selectivity, lost recall to 0.92-0.95 on
   * clustered 4096-d vectors at 6-47% selectivity, where the classic walk kept 0.99-1.0). Lucene
   * still answers a filter matching fewer documents than the walk would visit by an exact scan. On
   * a quantized index the walk collects 200 candidates, and filters matching under half of the
   * catalog scan the quantized vectors instead and keep 400 (the walk under such filters either lost
   * recall or took too long); all are rescored with the raw floats.
   */
  public static final KnnTuning DEFAULT = new KnnTuning(100, 0, 0, 2, 50);

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
  }

  /** For float indexes: a quantized index is walked, never scanned, and only its candidates rescored. */
  public KnnTuning(int minCandidates, int filteredSearchThreshold, int exactBelow) {
    this(minCandidates, filteredSearchThreshold, exactBelow, 1, 0);
  }
}
