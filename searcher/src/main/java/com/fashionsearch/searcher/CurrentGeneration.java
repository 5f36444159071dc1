package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexGenerations;
import java.io.IOException;
import java.util.OptionalLong;
import org.apache.lucene.search.ReferenceManager;

/**
 * The generation of an index folder that queries search now, held by Lucene's own {@link
 * ReferenceManager}: it keeps one reference on the current {@link OpenGeneration}, each query
 * {@link #acquire()}s one for its duration and {@link #release}s it, and a refresh opens the
 * generation the folder's {@code CURRENT} file names when it is another one and swaps it in; the
 * replaced generation closes when its last query releases it. Thread-safe.
 */
final class CurrentGeneration extends ReferenceManager<OpenGeneration> {
  /** Opens one generation of the folder. */
  @FunctionalInterface
  interface Opener {
    OpenGeneration open(long generation) throws IOException;
  }

  private final IndexGenerations generations;
  private final Opener opener;

  /**
   * Opens the generation {@code CURRENT} names.
   *
   * @throws IllegalStateException when the folder holds no index
   */
  CurrentGeneration(IndexGenerations generations, Opener opener) throws IOException {
    this.generations = generations;
    this.opener = opener;
    this.current = opener.open(wanted());
  }

  private long wanted() throws IOException {
    OptionalLong wanted = generations.current();
    if (wanted.isEmpty()) {
      throw new IllegalStateException(
          "no index at "
              + generations.root()
              + " (no "
              + IndexGenerations.CURRENT
              + " file): run fashion reindex first");
    }
    return wanted.getAsLong();
  }

  /** The generation {@code CURRENT} names, opened, or null when it is the one held. */
  @Override
  protected OpenGeneration refreshIfNeeded(OpenGeneration held) throws IOException {
    long wanted = wanted();
    return wanted == held.generation ? null : opener.open(wanted);
  }

  @Override
  protected boolean tryIncRef(OpenGeneration g) {
    return g.tryAcquire();
  }

  @Override
  protected void decRef(OpenGeneration g) {
    g.release();
  }

  @Override
  protected int getRefCount(OpenGeneration g) {
    return g.reader.getRefCount();
  }
}
