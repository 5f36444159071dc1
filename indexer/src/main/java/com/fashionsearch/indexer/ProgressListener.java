package com.fashionsearch.indexer;

/** Receives the progress of long work. Implementations say whether they are thread-safe. */
public interface ProgressListener extends AutoCloseable {
  /** A listener that ignores everything. */
  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void advance(long steps) {}

        @Override
        public void close() {}
      };

  /** Work of {@code total} steps begins. */
  void start(String task, long total);

  /** {@code steps} more are done. */
  void advance(long steps);

  /** The work ended (successfully or not). */
  @Override
  void close();
}
