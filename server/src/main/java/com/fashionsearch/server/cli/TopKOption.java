package com.fashionsearch.server.cli;

import picocli.CommandLine.Option;

/**
 * {@code --k}: how many results a query returns, which is the cut-off of P@k and mAP@k where
 * quality is measured. Declared once for search, eval and bench retrieval. A picocli mixin; a
 * command gives its default through the constructor. Not thread-safe (filled by picocli once).
 */
final class TopKOption {
  @Option(
      names = "--k",
      paramLabel = "K",
      description =
          "How many results per query (1 to 100 through the searcher); where quality is measured,"
              + " the cut-off k of P@k and mAP@k (default: ${DEFAULT-VALUE}).")
  int k;

  /**
   * The default where quality is measured: 10, the cut-off in BENCHMARKS.md, "Retrieval quality".
   */
  TopKOption() {
    this(10);
  }

  TopKOption(int k) {
    this.k = k;
  }
}
