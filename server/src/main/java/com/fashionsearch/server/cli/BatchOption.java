package com.fashionsearch.server.cli;

import picocli.CommandLine.Option;

/**
 * {@code --batch}: images per network call, declared once for every command that runs the network
 * over many images. A picocli mixin; a command gives its default through the constructor. Not
 * thread-safe (filled by picocli once).
 */
final class BatchOption {
  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Images per network call (default: ${DEFAULT-VALUE}).")
  int batch;

  /** The default of the commands that embed a catalog or its queries: 16. */
  BatchOption() {
    this(16);
  }

  BatchOption(int batch) {
    this.batch = batch;
  }
}
