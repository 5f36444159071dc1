package com.fashionsearch.models.mobilenet;

import com.fashionsearch.data.SharedTestFiles;
import java.nio.file.Path;

/**
 * The shared MobileNet files for tests, found through {@link SharedTestFiles} (which fails the test
 * under {@code CI=true} when one is absent and skips it elsewhere). Stateless; thread-safe.
 */
public final class MobileNetTestFiles {
  private MobileNetTestFiles() {}

  /** The shared {@code models/} file of {@code variant}. */
  public static Path require(MobileNetVariant variant) {
    return SharedTestFiles.environment().file("models", variant.fileName());
  }
}
