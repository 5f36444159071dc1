package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fashion demo --no-serve}: the set-up half of the README's first command. */
class DemoCommandTest {
  @TempDir Path dir;

  private static String run(int expectedCode, String... args) {
    CliRun r = CliRun.run(args);
    assertEquals(expectedCode, r.code(), "exit code; stderr: " + r.err() + "; stdout: " + r.out());
    return r.out() + r.err();
  }

  @Test
  void generatesALabelledCatalogIndexesItSayingWhichModelAndReusesBothTheSecondTime()
      throws Exception {
    String first = run(0, "demo", "--dir", dir.toString(), "--products", "10", "--no-serve");
    assertTrue(first.contains("demo: generated 10 products"), first);
    assertTrue(
        Files.isRegularFile(dir.resolve("catalog").resolve("GENERATED.txt")),
        "the catalog says it is generated");
    assertTrue(
        first.matches(
                "(?s).*demo: model ("
                    + String.join("|", com.fashionsearch.models.Embedders.PREFERRED_PRETRAINED)
                    + "|vgg16), weights \\S+ \\(.*(pretrained|zoo).*")
            || first.contains("demo: model vgg16, weights random:42 (UNTRAINED"),
        "names the model and why: " + first);
    assertTrue(
        first.contains("10 indexed, 0 skipped; embeddings: 10 computed, 0 from cache"), first);

    String second = run(0, "demo", "--dir", dir.toString(), "--no-serve");
    assertTrue(second.contains("demo: reusing the generated catalog"), second);
    assertTrue(
        second.contains("10 indexed, 0 skipped; embeddings: 0 computed, 10 from cache"), second);
    assertTrue(second.contains("generation 2 is current (previous 1 kept)"), second);
  }

  @Test
  void refusesAnAbsurdCatalogSizeNamingTheValue() {
    String out = run(1, "demo", "--dir", dir.toString(), "--products", "0", "--no-serve");
    assertTrue(out.contains("--products must be between 1 and 100000, got: 0"), out);
  }
}
