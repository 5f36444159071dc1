package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexGenerationsTest {
  @TempDir Path dir;

  @Test
  void anEmptyFolderHasNoCurrentGenerationAndSaysHowToMakeOne() {
    IndexGenerations g = new IndexGenerations(dir);
    assertEquals(OptionalLong.empty(), g.current());
    assertEquals(1, g.next());
    IllegalStateException e = assertThrows(IllegalStateException.class, g::currentDir);
    assertTrue(e.getMessage().contains("reindex"), e.getMessage());
  }

  @Test
  void switchingReplacesCurrentAndCleanupKeepsThePrevious() throws Exception {
    IndexGenerations g = new IndexGenerations(dir);
    for (long n = 1; n <= 3; n++) {
      Files.createDirectories(g.generationDir(n));
      g.switchTo(n);
      assertEquals(n, g.current().getAsLong());
    }
    assertEquals(List.of(1L), g.deleteAllBut(Optional.of(2L)));
    assertEquals(List.of(2L, 3L), g.list());
    assertEquals("gen-000003\n", Files.readString(dir.resolve("CURRENT"), StandardCharsets.UTF_8));
    assertFalse(Files.exists(dir.resolve("CURRENT.tmp")));
  }

  @Test
  void foldersOfKilledRunsAreRecognisedAndDeleted() throws Exception {
    IndexGenerations g = new IndexGenerations(dir);
    Files.createDirectories(g.generationDir(1));
    g.switchTo(1);
    Files.createDirectories(g.generationDir(2).resolve("partial"));
    assertEquals(3, g.next(), "a new run never reuses a half-written folder's number");
    assertEquals(List.of(2L), g.deleteUnfinished());
    assertEquals(List.of(1L), g.list());
    assertEquals(1, g.current().getAsLong());
  }

  @Test
  void switchingToAMissingGenerationIsRefused() {
    IndexGenerations g = new IndexGenerations(dir);
    assertThrows(IllegalStateException.class, () -> g.switchTo(5));
  }

  @Test
  void aGarbledCurrentFileIsReportedNotGuessed() throws Exception {
    Files.writeString(dir.resolve("CURRENT"), "hello\n", StandardCharsets.UTF_8);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new IndexGenerations(dir).current());
    assertTrue(e.getMessage().contains("'hello'"), e.getMessage());
  }

  @Test
  void twoReindexesCannotHoldTheLockAtOnce() throws Exception {
    IndexGenerations g = new IndexGenerations(dir);
    try (ReindexLock lock = g.lockForReindex()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, g::lockForReindex);
      assertTrue(e.getMessage().contains("another reindex"), e.getMessage());
    }
    g.lockForReindex().close(); // free again once released
  }
}
