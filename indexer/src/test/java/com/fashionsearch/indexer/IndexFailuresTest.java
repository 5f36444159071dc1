package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures that lose nothing: a concurrent reindex, a full disk, a damaged file, a damaged cache.
 */
class IndexFailuresTest {
  @TempDir Path tmp;

  private static Reindexer reindexer(Path catalog, Path index, PixelGridEmbedder embedder) {
    return new Reindexer(
        new ReindexOptions(catalog, index, 4, false, VectorIndexOptions.DEFAULT),
        () -> embedder,
        ProgressListener.NONE);
  }

  private static int numDocs(Path generationDir) throws IOException {
    try (FSDirectory d = FSDirectory.open(generationDir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      return reader.numDocs();
    }
  }

  @Test
  void aSecondReindexNamesTheRunningOneAndTheFirstCompletes() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 24, 3);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KillableReindex.class.getName(),
                catalog.toString(),
                index.toString(),
                "300")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> seen = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      for (; line != null && !line.equals("BATCH 1"); line = out.readLine()) {
        seen.add(line);
      }
      assertEquals("BATCH 1", line, "the first reindex should be under way: " + seen);
      IllegalStateException second =
          assertThrows(
              IllegalStateException.class,
              () -> reindexer(catalog, index, new PixelGridEmbedder()).run());
      String message = second.getMessage();
      assertTrue(
          message.contains("another reindex is running on " + index.toAbsolutePath().normalize()),
          message);
      assertTrue(message.contains("process " + child.pid() + " on host "), message);
      assertTrue(
          message.matches("(?s).* since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ.*"), message);
      for (line = out.readLine(); line != null; line = out.readLine()) {
        seen.add(line);
      }
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the first reindex did not finish");
    assertEquals(0, child.exitValue());
    assertTrue(seen.contains("DONE"), "the first reindex completes: " + seen);
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(1, generations.current().getAsLong());
    assertEquals(24, numDocs(generations.currentDir()));
    assertEquals(
        "", Files.readString(index.resolve("reindex.lock")), "the lock line is cleared on release");
  }

  /** A directory whose files fail to grow past a shared byte budget, as a full disk would. */
  static final class FullDisk extends FilterDirectory {
    private final AtomicLong left;

    FullDisk(Directory in, long bytes) {
      super(in);
      this.left = new AtomicLong(bytes);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      return limited(super.createOutput(name, context));
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
        throws IOException {
      return limited(super.createTempOutput(prefix, suffix, context));
    }

    private IndexOutput limited(IndexOutput out) {
      return new IndexOutput(out.toString(), out.getName()) {
        @Override
        public void close() throws IOException {
          out.close();
        }

        @Override
        public long getFilePointer() {
          return out.getFilePointer();
        }

        @Override
        public long getChecksum() throws IOException {
          return out.getChecksum();
        }

        @Override
        public void writeByte(byte b) throws IOException {
          take(1);
          out.writeByte(b);
        }

        @Override
        public void writeBytes(byte[] b, int offset, int length) throws IOException {
          take(length);
          out.writeBytes(b, offset, length);
        }
      };
    }

    private void take(long n) throws IOException {
      if (left.addAndGet(-n) < 0) {
        throw new IOException("No space left on device");
      }
    }
  }

  @Test
  void aReindexThatRunsOutOfDiskFailsClearlyAndTheCurrentGenerationKeepsServing() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 12, 4);
    reindexer(catalog, index, new PixelGridEmbedder()).run();
    Path large = tmp.resolve("large");
    SyntheticCatalog.write(large, 40, 4);

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                reindexer(large, index, new PixelGridEmbedder())
                    .wrapDirectory(d -> new FullDisk(d, 4000))
                    .run());
    assertTrue(e.getMessage().contains("cannot write generation 2"), e.getMessage());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertTrue(e.getMessage().contains("generation 1 stays current"), e.getMessage());
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(
        1, generations.current().getAsLong(), "CURRENT still names the complete generation");
    assertEquals(12, numDocs(generations.currentDir()), "and it still answers");
    assertTrue(GenerationCheck.check(generations, 1).intact());
    assertTrue(
        generations.list().contains(2L),
        "the partial generation is left for the next run: " + generations.list());

    ReindexSummary rerun = reindexer(large, index, new PixelGridEmbedder()).run();
    assertEquals(40, rerun.indexed());
    assertEquals(3, rerun.generation());
    assertEquals(
        List.of(1L, 3L), generations.list(), "the next run removed the partial generation");
  }

  private static Path largestFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> !p.getFileName().toString().equals("write.lock"))
          .max(
              Comparator.comparingLong((Path p) -> p.toFile().length())
                  .thenComparing(Path::toString))
          .orElseThrow();
    }
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x01)}), at);
    }
  }

  @Test
  void aFlippedByteIsNamedByTheCheckAndRollbackServesThePreviousGeneration() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 10, 5);
    reindexer(catalog, index, new PixelGridEmbedder()).run();
    Path larger = tmp.resolve("larger");
    SyntheticCatalog.write(larger, 20, 5);
    reindexer(larger, index, new PixelGridEmbedder()).run();
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(2, generations.current().getAsLong());
    assertEquals(1, generations.previous().getAsLong());
    GenerationCheck.Result clean = GenerationCheck.check(generations, 2);
    assertTrue(clean.intact(), clean.problems().toString());
    assertTrue(clean.files() >= 3, "every file of the commit is verified: " + clean.files());

    Path damaged = largestFile(generations.currentDir());
    flipByte(damaged, Files.size(damaged) / 2);
    GenerationCheck.Result check = GenerationCheck.check(generations, 2);
    assertFalse(check.intact());
    assertEquals(1, check.problems().size(), check.problems().toString());
    assertEquals(damaged, check.problems().get(0).file());
    assertTrue(
        check.problems().get(0).reason().contains("checksum"), check.problems().get(0).reason());

    assertEquals(1, generations.rollback());
    assertEquals(1, generations.current().getAsLong());
    assertEquals(10, numDocs(generations.currentDir()));
    IllegalStateException again = assertThrows(IllegalStateException.class, generations::rollback);
    assertTrue(again.getMessage().contains("no previous generation"), again.getMessage());

    // the next reindex deletes the damaged generation and never reuses its number
    ReindexSummary next = reindexer(larger, index, new PixelGridEmbedder()).run();
    assertEquals(3, next.generation());
    assertEquals(List.of(1L, 3L), generations.list());
  }

  @Test
  void aDamagedClustersFileIsNamedByTheCheck() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 10, 5);
    reindexer(catalog, index, new PixelGridEmbedder()).run();
    IndexGenerations generations = new IndexGenerations(index);
    Path clusters = generations.currentDir().resolve(VectorClusters.FILE);
    assertTrue(Files.exists(clusters), "the reindex clustered the vectors");
    GenerationCheck.Result clean = GenerationCheck.check(generations, 1);
    assertTrue(clean.intact(), clean.problems().toString());

    flipByte(clusters, Files.size(clusters) / 2);
    GenerationCheck.Result check = GenerationCheck.check(generations, 1);
    assertEquals(1, check.problems().size(), check.problems().toString());
    assertEquals(clusters, check.problems().get(0).file());
    assertTrue(
        check.problems().get(0).reason().contains("checksum"), check.problems().get(0).reason());
    assertEquals(clean.files(), check.files(), "the clusters file is counted either way");
  }

  @Test
  void aRollbackRefusesADamagedPreviousGeneration() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 8, 6);
    reindexer(catalog, index, new PixelGridEmbedder()).run();
    reindexer(catalog, index, new PixelGridEmbedder()).run();
    IndexGenerations generations = new IndexGenerations(index);
    Path damaged = largestFile(generations.generationDir(1));
    flipByte(damaged, Files.size(damaged) / 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, generations::rollback);
    assertTrue(e.getMessage().contains("previous generation 1 is damaged too"), e.getMessage());
    assertTrue(e.getMessage().contains(damaged.toString()), e.getMessage());
    assertEquals(2, generations.current().getAsLong());
  }

  @Test
  void aDamagedEmbeddingCacheRecordIsEmbeddedAgainNotUsed() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 10, 7);
    reindexer(catalog, index, new PixelGridEmbedder()).run();
    Path cacheFile;
    try (Stream<Path> files = Files.list(index.resolve("cache"))) {
      cacheFile = files.filter(p -> p.toString().endsWith(".emb")).findFirst().orElseThrow();
    }
    int record = 32 + 4 * PixelGridEmbedder.DIMENSION + 4;
    flipByte(cacheFile, Files.size(cacheFile) - 3L * record + 40);
    ReindexSummary rerun = reindexer(catalog, index, new PixelGridEmbedder()).run();
    assertEquals(10, rerun.indexed());
    assertEquals(1, rerun.embedded(), "exactly the damaged record's image is embedded again");
    assertEquals(9, rerun.fromCache());
  }
}
