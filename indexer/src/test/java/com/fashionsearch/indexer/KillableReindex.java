package com.fashionsearch.indexer;

import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;

/**
 * A reindex run in its own process, for {@link ReindexerTest} to kill with SIGKILL: a slow embedder
 * prints {@code BATCH n} after each batch so the test knows the run is under way.
 */
public final class KillableReindex {
  private KillableReindex() {}

  public static void main(String[] args) throws Exception {
    PixelGridEmbedder[] embedder = new PixelGridEmbedder[1];
    embedder[0] =
        new PixelGridEmbedder(
            Long.parseLong(args[2]),
            () -> {
              System.out.println("BATCH " + embedder[0].batches);
              System.out.flush();
            });
    new Reindexer(
            new ReindexOptions(
                Path.of(args[0]), Path.of(args[1]), 2, false, VectorIndexOptions.DEFAULT),
            () -> embedder[0],
            ProgressListener.NONE)
        .run();
    System.out.println("DONE");
  }
}
