package com.fashionsearch.server.cli;

import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ResizeMode;
import picocli.CommandLine.Option;

/**
 * {@code --resize}, declared once for the commands that embed catalog photos. A picocli mixin. Not
 * thread-safe (filled by picocli once).
 */
final class ResizeOption {
  @Option(
      names = "--resize",
      paramLabel = "pad|stretch|crop",
      description =
          "How a photo becomes the network's square input: pad (on white), stretch, or crop (the"
              + " white margin cut to the product's box, then pad). A reindex records it in the"
              + " index, and queries use the same (default: pad).")
  String resize;

  /**
   * The mode chosen, or the default (pad).
   *
   * @throws IllegalArgumentException for an unknown mode
   */
  ResizeMode mode() {
    return resize == null ? Embedders.DEFAULT_RESIZE : ResizeMode.parse(resize);
  }
}
