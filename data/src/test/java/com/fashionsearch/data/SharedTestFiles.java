package com.fashionsearch.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place where tests find the shared real data ({@code ../shared}, passed by surefire as the
 * system property {@code fashion.shared}) and decide what a missing file means: under CI
 * (environment variable {@code CI=true}) the test fails with a message naming the missing path;
 * elsewhere it is skipped (a JUnit assumption) with that message. Every module's tests reach this
 * class through the {@code fashion-data} test jar. Immutable; thread-safe.
 */
public final class SharedTestFiles {
  private static final SharedTestFiles ENVIRONMENT =
      new SharedTestFiles(
          System.getProperty("fashion.shared"), "true".equalsIgnoreCase(System.getenv("CI")));

  private final String root;
  private final boolean ci;

  /**
   * @param root the shared folder as given (may be null when the property is unset)
   * @param ci whether a missing file fails the test rather than skipping it
   */
  SharedTestFiles(String root, boolean ci) {
    this.root = root;
    this.ci = ci;
  }

  /** The rule as this JVM's {@code fashion.shared} property and {@code CI} variable set it. */
  public static SharedTestFiles environment() {
    return ENVIRONMENT;
  }

  /** The shared folder itself; fails (CI) or skips when the property does not name a folder. */
  public Path root() {
    present(
        root != null && Files.isDirectory(Path.of(root)),
        "system property fashion.shared does not name a folder (got " + root + ")");
    return Path.of(root);
  }

  /** The shared file {@code root/first/more...}; fails (CI) or skips when it is absent. */
  public Path file(String first, String... more) {
    Path file = root().resolve(Path.of(first, more));
    present(Files.isRegularFile(file), "shared file " + file + " is absent");
    return file;
  }

  /** The shared folder {@code root/first/more...}; fails (CI) or skips when it is absent. */
  public Path directory(String first, String... more) {
    Path dir = root().resolve(Path.of(first, more));
    present(Files.isDirectory(dir), "shared folder " + dir + " is absent");
    return dir;
  }

  /**
   * The shared folder {@code root/first/more...} for a test that also runs without it: empty when
   * it is absent outside CI; under CI its absence fails the test like {@link #directory}.
   */
  public Optional<Path> optionalDirectory(String first, String... more) {
    Path dir = root == null ? null : Path.of(root).resolve(Path.of(first, more));
    if (dir != null && Files.isDirectory(dir)) {
      return Optional.of(dir);
    }
    Assertions.assertFalse(
        ci, "shared folder " + dir + " is absent (CI=true: the shared data is required)");
    return Optional.empty();
  }

  /** A shared sample catalog {@code root/data/name} with its {@code styles.csv}. */
  public Path catalog(String name) {
    file("data", name, "styles.csv");
    return directory("data", name);
  }

  private void present(boolean present, String message) {
    if (ci) {
      Assertions.assertTrue(present, message + " (CI=true: the shared data is required)");
    } else {
      Assumptions.assumeTrue(present, message + ": test skipped outside CI");
    }
  }
}
