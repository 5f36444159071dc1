package com.fashionsearch.models.mobilenet;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the shared MobileNet files and data for tests, skipping with a message when absent. */
final class MobileNetTestFiles {
  private MobileNetTestFiles() {}

  static Path shared() {
    String shared = System.getProperty("fashion.shared");
    Assumptions.assumeTrue(
        shared != null && Files.isDirectory(Path.of(shared)),
        "system property fashion.shared does not name a folder (got " + shared + "): skipped");
    return Path.of(shared);
  }

  static Path require(MobileNetVariant variant) {
    Path file = shared().resolve("models").resolve(variant.fileName());
    Assumptions.assumeTrue(Files.isRegularFile(file), file + " is absent: skipped");
    return file;
  }
}
