package com.fashionsearch.models.mobilenet;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared network files and data for tests. When one is absent the test is skipped with a
 * message, except under CI ({@code CI=true}), where it fails with that message.
 */
public final class MobileNetTestFiles {
  private MobileNetTestFiles() {}

  public static Path shared() {
    String shared = System.getProperty("fashion.shared");
    present(shared != null && Files.isDirectory(Path.of(shared)),
        "system property fashion.shared does not name a folder (got " + shared + ")");
    return Path.of(shared);
  }

  public static Path require(MobileNetVariant variant) {
    return requireFile(shared().resolve("models").resolve(variant.fileName()));
  }

  public static Path requireFile(Path file) {
    present(Files.isRegularFile(file), file + " is absent");
    return file;
  }

  public static Path requireDirectory(Path dir) {
    present(Files.isDirectory(dir), dir + " is absent");
    return dir;
  }

  private static void present(boolean present, String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.assertTrue(present, message + " (CI=true: shared files are required)");
    } else {
      Assumptions.assumeTrue(present, message + ": skipped");
    }
  }
}
