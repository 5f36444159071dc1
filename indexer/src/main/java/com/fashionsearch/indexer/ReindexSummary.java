package com.fashionsearch.indexer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a reindex run did: counts, skips by reason, timing, and the generation it switched to.
 * Immutable and thread-safe.
 *
 * @param generation the new current generation
 * @param previous the generation it replaced, kept for rollback
 * @param catalogRows data rows read from styles.csv
 * @param indexed product documents in the new generation
 * @param embedded images run through the network in this run
 * @param fromCache embeddings taken from the cache
 * @param skipped products left out, by reason (catalog problems and image problems alike)
 * @param catalogSummary the catalog reader's own summary lines (quirks repaired, ids listed)
 * @param elapsed wall time of the run
 * @param modelId the model used
 * @param weightsId the weights used
 * @param pretrained false when the weights are untrained
 * @param learned what the generation's learned projection is and how it measured on held-out
 *     products, or empty when the vectors are the network's own
 */
public record ReindexSummary(
    long generation,
    OptionalLong previous,
    int catalogRows,
    int indexed,
    int embedded,
    int fromCache,
    Map<String, Integer> skipped,
    List<String> catalogSummary,
    Duration elapsed,
    String modelId,
    String weightsId,
    boolean pretrained,
    String learned) {

  public ReindexSummary {
    skipped = Map.copyOf(skipped);
    catalogSummary = List.copyOf(catalogSummary);
    java.util.Objects.requireNonNull(learned, "learned");
  }

  /** The total of products skipped. */
  public int skippedTotal() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The summary for people, one line each. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "reindex done in %.1f s: generation %d is current%s",
            elapsed.toMillis() / 1000.0,
            generation,
            previous.isPresent() ? " (previous " + previous.getAsLong() + " kept)" : ""));
    lines.add(
        "model "
            + modelId
            + ", weights "
            + weightsId
            + (pretrained ? "" : "  ** UNTRAINED weights: results are not visually meaningful **"));
    lines.add(
        String.format(
            Locale.ROOT,
            "products: %d rows read, %d indexed, %d skipped; embeddings: %d computed, %d from"
                + " cache",
            catalogRows,
            indexed,
            skippedTotal(),
            embedded,
            fromCache));
    lines.add(
        learned.isEmpty()
            ? "learned projection: none (the vectors are the network's own)"
            : "learned projection: " + learned);
    skipped.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> lines.add("  skipped " + e.getKey() + ": " + e.getValue()));
    lines.addAll(catalogSummary);
    return lines;
  }
}
