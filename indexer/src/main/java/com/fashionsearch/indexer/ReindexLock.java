package com.fashionsearch.indexer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock held for the duration of one reindex. The OS releases it when the process dies,
 * so a killed reindex never leaves the folder locked. Not thread-safe; close it once.
 */
public final class ReindexLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ReindexLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static ReindexLock acquire(Path file) throws IOException {
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "another reindex is running on " + file.getParent() + " (it holds " + file + ")");
    }
    return new ReindexLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
