package com.fashionsearch.server.cli;

import com.fashionsearch.indexer.IndexGenerations;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --index} folder of the commands that look after an existing local index (index check,
 * index rollback). A picocli mixin. Not thread-safe (filled by picocli once).
 */
final class IndexFolderOption {
  @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder.")
  Path index;

  /**
   * The folder's generations and its current one.
   *
   * @throws IllegalArgumentException when the folder holds no index (no CURRENT file)
   */
  Current current() {
    IndexGenerations generations = new IndexGenerations(index);
    long current =
        generations
            .current()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no index at "
                            + generations.root()
                            + " (no "
                            + IndexGenerations.CURRENT
                            + " file)"));
    return new Current(generations, current);
  }

  /** An index's generations and the number of its current one. */
  record Current(IndexGenerations generations, long generation) {}
}
