package com.fashionsearch.indexer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An OS file lock held for the duration of one reindex. The OS releases it when the process dies,
 * so a killed reindex never leaves the folder locked. While held, the file says who holds it
 * ({@code pid=.. host=.. started=..}), so that a second reindex can name the first; the line is
 * cleared on release. Not thread-safe; close it once.
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
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "another reindex is running on "
              + file.getParent()
              + ": "
              + holder(file)
              + " (it holds "
              + file
              + "); wait for it to finish");
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(owner().getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
    } catch (IOException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new ReindexLock(channel, lock);
  }

  /** This process as the lock file records it. */
  static String owner() {
    return "pid="
        + ProcessHandle.current().pid()
        + " host="
        + hostName()
        + " started="
        + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + "\n";
  }

  /**
   * Who holds the lock, from the file's line, e.g. {@code process 4711 on host a since 2026-..}.
   */
  static String holder(Path file) {
    String line;
    try {
      line = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "its owner is unknown (" + e + ")";
    }
    String pid = field(line, "pid");
    if (pid == null) {
      return "its owner did not record itself";
    }
    return "process "
        + pid
        + " on host "
        + field(line, "host")
        + " since "
        + field(line, "started");
  }

  private static String field(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown-host" : env;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
    } finally {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }
}
