package com.fashionsearch.server.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --weights} of the commands that embed query images for an existing index (search, serve,
 * eval): by default the weights the index was built with. A picocli mixin. Not thread-safe (filled
 * by picocli once).
 */
final class QueryWeightsOption {
  @Option(
      names = "--weights",
      paramLabel = "SPEC",
      description =
          "Weights to embed query images with: "
              + ModelOptions.WEIGHTS_FORMS
              + " (default: the"
              + " index's own; others must give the same model and preprocessing as the index's).")
  String weights;

  /** The weights asked for, or empty for the index's own. */
  Optional<String> weights() {
    return Optional.ofNullable(weights);
  }
}
