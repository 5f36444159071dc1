package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.searcher.TestIndexes;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fashion index check} names a damaged file; {@code fashion index rollback} serves the
 * previous generation.
 */
class IndexCommandTest {
  @TempDir Path dir;

  private void writeGeneration(Path catalog, Path index, int products) throws Exception {
    List<Product> list = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < products; i++) {
      list.add(
          TestIndexes.product(
              catalog,
              Integer.toString(100 + i),
              "Men",
              "Apparel",
              "Topwear",
              "Tshirts",
              "Red",
              2012,
              "Name " + i));
      vectors.add(TestIndexes.colourVector(0x030507 * (i + 1)));
    }
    TestIndexes.writeGeneration(index, catalog, list, vectors, false);
  }

  @Test
  void checkNamesAFlippedByteAndRollbackGoesBackToThePreviousGeneration() throws Exception {
    Path catalog = dir.resolve("catalog");
    Path index = dir.resolve("index");
    writeGeneration(catalog, index, 6);
    writeGeneration(catalog, index, 9);
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(2, generations.current().getAsLong());

    CliRun clean = CliRun.run("index", "check", "--index", index.toString());
    assertEquals(0, clean.code(), clean.err());
    assertTrue(
        clean.out().contains("current generation 2 (" + generations.generationDir(2) + "): intact"),
        clean.out());
    assertTrue(clean.out().contains("previous generation 1"), clean.out());

    Path damaged;
    try (Stream<Path> files = Files.list(generations.generationDir(2))) {
      damaged =
          files
              .filter(p -> !p.getFileName().toString().equals("write.lock"))
              .max(
                  Comparator.comparingLong((Path p) -> p.toFile().length())
                      .thenComparing(Path::toString))
              .orElseThrow();
    }
    try (FileChannel ch =
        FileChannel.open(damaged, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x40)}), at);
    }
    CliRun check = CliRun.run("index", "check", "--index", index.toString());
    assertEquals(1, check.code(), check.out());
    assertTrue(check.err().contains("damaged: " + damaged + ": "), check.err());
    assertTrue(check.err().contains("fashion index rollback"), check.err());

    CliRun rollback = CliRun.run("index", "rollback", "--index", index.toString());
    assertEquals(0, rollback.code(), rollback.err());
    assertTrue(rollback.out().contains("from generation 2 to generation 1"), rollback.out());
    assertEquals(1, generations.current().getAsLong());
    assertEquals(0, CliRun.run("index", "check", "--index", index.toString()).code());

    CliRun again = CliRun.run("index", "rollback", "--index", index.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().startsWith("error: no previous generation"), again.err());
    CliRun none = CliRun.run("index", "check", "--index", dir.resolve("nothing").toString());
    assertEquals(1, none.code());
    assertTrue(none.err().contains("no index at"), none.err());
  }
}
