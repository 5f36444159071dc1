package com.fashionsearch.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of an index folder: numbered generations side by side and a {@code CURRENT} file that
 * names the one to search.
 *
 * <pre>
 * INDEX/
 *   CURRENT          one line: the current generation's folder name, e.g. gen-000003
 *   gen-000002/      the previous generation, kept for rollback
 *   gen-000003/      the current generation (a Lucene index)
 *   cache/           the embedding cache ({@link EmbeddingCache})
 *   reindex.lock     held while a reindex runs
 * </pre>
 *
 * <p>A reindex writes a new generation folder that nothing points at, commits it, and only then
 * replaces {@code CURRENT} by an atomic rename. A reindex killed at any moment therefore leaves
 * {@code CURRENT} naming the previous, complete generation; the next reindex deletes the orphaned
 * folder. Readers resolve {@code CURRENT} each time they (re)open.
 *
 * <p>Thread-safe: it holds only the folder path; concurrent reindexes are excluded by {@link
 * #lockForReindex()}.
 */
public final class IndexGenerations {
  /** The file naming the current generation. */
  public static final String CURRENT = "CURRENT";

  private static final Pattern GENERATION = Pattern.compile("gen-(\\d{6,})");

  private final Path root;

  /**
   * @param root the index folder (it need not exist yet)
   */
  public IndexGenerations(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The index folder. */
  public Path root() {
    return root;
  }

  /** The embedding cache folder. */
  public Path cacheDir() {
    return root.resolve("cache");
  }

  /** The folder of generation {@code n}. */
  public Path generationDir(long n) {
    return root.resolve(name(n));
  }

  /** The current generation number, if {@code CURRENT} exists. */
  public OptionalLong current() {
    try {
      String line = Files.readString(root.resolve(CURRENT), StandardCharsets.UTF_8).trim();
      Matcher m = GENERATION.matcher(line);
      if (!m.matches()) {
        throw new IllegalStateException(
            root.resolve(CURRENT) + " does not name a generation: '" + line + "'");
      }
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root.resolve(CURRENT), e);
    }
  }

  /**
   * The current generation's folder.
   *
   * @throws IllegalStateException when the folder holds no index yet
   */
  public Path currentDir() {
    OptionalLong current = current();
    if (current.isEmpty()) {
      throw new IllegalStateException(
          "no index at " + root + " (no " + CURRENT + " file): run fashion reindex first");
    }
    return generationDir(current.getAsLong());
  }

  /** Every generation folder present, in increasing order. */
  public List<Long> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(root)) {
      return children
          .map(p -> GENERATION.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** The number the next generation takes: one above every folder present. */
  public long next() {
    List<Long> all = list();
    long highest = all.isEmpty() ? 0 : all.get(all.size() - 1);
    return Math.max(highest, current().orElse(0)) + 1;
  }

  /**
   * Makes generation {@code n} current: writes {@code CURRENT.tmp}, forces it to disk, and renames
   * it over {@code CURRENT} atomically.
   */
  public void switchTo(long n) throws IOException {
    if (!Files.isDirectory(generationDir(n))) {
      throw new IllegalStateException("cannot switch to missing generation " + generationDir(n));
    }
    Path tmp = root.resolve(CURRENT + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(StandardCharsets.UTF_8.encode(name(n) + "\n"));
      ch.force(true);
    }
    try {
      Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + root + " cannot rename atomically", e);
    }
    fsyncDirectory(root);
  }

  /**
   * Deletes every generation except the current one and {@code keep} (the previous one, kept for
   * rollback), including folders of killed runs.
   *
   * @return the generations deleted
   */
  public List<Long> deleteAllBut(Optional<Long> keep) throws IOException {
    long current = current().orElse(-1);
    List<Long> deleted = new ArrayList<>();
    for (long n : list()) {
      if (n != current && (keep.isEmpty() || n != keep.get())) {
        deleteRecursively(generationDir(n));
        deleted.add(n);
      }
    }
    return deleted;
  }

  /** Deletes generation folders above the current one: leftovers of killed runs. */
  public List<Long> deleteUnfinished() throws IOException {
    long current = current().orElse(0);
    List<Long> deleted = new ArrayList<>();
    for (long n : list()) {
      if (n > current) {
        deleteRecursively(generationDir(n));
        deleted.add(n);
      }
    }
    return deleted;
  }

  /** The newest generation below the current one that is present: the one kept for rollback. */
  public OptionalLong previous() {
    OptionalLong current = current();
    if (current.isEmpty()) {
      return OptionalLong.empty();
    }
    OptionalLong previous = OptionalLong.empty();
    for (long n : list()) {
      if (n < current.getAsLong()) {
        previous = OptionalLong.of(n);
      }
    }
    return previous;
  }

  /**
   * Makes the previous generation current again, after checking it file by file, under the reindex
   * lock. The generation rolled back from stays beside it until the next reindex deletes it.
   *
   * @return the generation now current
   * @throws IllegalStateException when there is no current or previous generation, when a reindex
   *     runs, or when the previous generation is damaged too
   */
  public long rollback() throws IOException {
    try (ReindexLock lock = lockForReindex()) {
      long from =
          current()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no index at "
                              + root
                              + " (no "
                              + CURRENT
                              + " file): nothing to roll back"));
      OptionalLong previous = previous();
      if (previous.isEmpty()) {
        throw new IllegalStateException(
            "no previous generation beside generation "
                + from
                + " in "
                + root
                + ": nothing to roll back to");
      }
      GenerationCheck.Result check = GenerationCheck.check(this, previous.getAsLong());
      if (!check.intact()) {
        throw new IllegalStateException(
            "previous generation "
                + previous.getAsLong()
                + " is damaged too ("
                + check.problems().get(0).file()
                + ": "
                + check.problems().get(0).reason()
                + "); not rolled back");
      }
      switchTo(previous.getAsLong());
      return previous.getAsLong();
    }
  }

  /**
   * Takes the folder's reindex lock, so that two reindexes never write the same folder.
   *
   * @throws IllegalStateException when another process holds it
   */
  public ReindexLock lockForReindex() throws IOException {
    Files.createDirectories(root);
    return ReindexLock.acquire(root.resolve("reindex.lock"));
  }

  static String name(long n) {
    return String.format("gen-%06d", n);
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
