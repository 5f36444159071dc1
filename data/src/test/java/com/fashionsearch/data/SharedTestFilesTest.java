package com.fashionsearch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class SharedTestFilesTest {
  @TempDir Path shared;

  @Test
  void underCiAMissingFileFailsTheTestNamingThePath() {
    SharedTestFiles ci = new SharedTestFiles(shared.toString(), true);
    AssertionFailedError e =
        assertThrows(AssertionFailedError.class, () -> ci.file("models", "absent.zip"));
    assertTrue(
        e.getMessage().contains(shared.resolve("models/absent.zip").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
  }

  @Test
  void outsideCiAMissingFileSkipsTheTestNamingThePath() {
    SharedTestFiles local = new SharedTestFiles(shared.toString(), false);
    TestAbortedException e =
        assertThrows(TestAbortedException.class, () -> local.directory("data", "fashion-1k"));
    assertTrue(
        e.getMessage().contains(shared.resolve("data/fashion-1k").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("skipped"), e.getMessage());
  }

  @Test
  void anUnsetPropertyFailsUnderCiAndSkipsElsewhere() {
    AssertionFailedError failed =
        assertThrows(AssertionFailedError.class, () -> new SharedTestFiles(null, true).root());
    assertTrue(failed.getMessage().contains("fashion.shared"), failed.getMessage());
    assertThrows(TestAbortedException.class, () -> new SharedTestFiles(null, false).root());
  }

  @Test
  void anOptionalFolderIsEmptyOutsideCiAndRequiredUnderCi() throws IOException {
    assertEquals(
        Optional.empty(),
        new SharedTestFiles(shared.toString(), false).optionalDirectory("data", "none"));
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> new SharedTestFiles(shared.toString(), true).optionalDirectory("data", "none"));
    assertTrue(e.getMessage().contains(shared.resolve("data/none").toString()), e.getMessage());
    Path present = Files.createDirectories(shared.resolve("data/none"));
    assertEquals(
        Optional.of(present),
        new SharedTestFiles(shared.toString(), true).optionalDirectory("data", "none"));
  }

  @Test
  void presentFilesAreReturnedInBothModes() throws IOException {
    Path csv = Files.createDirectories(shared.resolve("data/tiny")).resolve("styles.csv");
    Files.writeString(csv, "id\n", StandardCharsets.UTF_8);
    for (boolean ci : new boolean[] {true, false}) {
      SharedTestFiles files = new SharedTestFiles(shared.toString(), ci);
      assertEquals(csv, files.file("data", "tiny", "styles.csv"));
      assertEquals(shared.resolve("data/tiny"), files.catalog("tiny"));
    }
  }
}
