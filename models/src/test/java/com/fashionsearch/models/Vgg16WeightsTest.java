package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vgg16WeightsTest {

  @Test
  void parsesTheThreeKinds() {
    assertEquals(
        new Vgg16Weights("random", Vgg16Weights.Kind.RANDOM, 42, null),
        Vgg16Weights.parse("random"));
    assertEquals(7, Vgg16Weights.parse("random:7").seed());
    assertEquals(Vgg16Weights.Kind.ZOO, Vgg16Weights.parse("ZOO").kind());
    assertEquals(Path.of("/x/vgg16.h5"), Vgg16Weights.parse("/x/vgg16.h5").file());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Vgg16Weights.parse("random:abc"));
    assertTrue(e.getMessage().contains("random:abc"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Vgg16Weights.parse(" "));
  }

  @Test
  void offlineWithoutCachedZooWeightsGivesOneErrorNamingTheThreeOptions(@TempDir Path cache) {
    String url = DL4JResources.getBaseDownloadURL();
    // an empty cache and a download address nothing listens on: the test never reaches the network
    DL4JResources.setBaseDirectory(cache.toFile());
    DL4JResources.setBaseDownloadURL("http://127.0.0.1:9/");
    try {
      WeightsUnavailableException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () ->
                  assertThrows(
                      WeightsUnavailableException.class, () -> Embedders.create("vgg16", "zoo")));
      String m = e.getMessage();
      assertTrue(m.contains("not cached at " + cache), m);
      assertTrue(m.contains("'zoo'") && m.contains("FILE") && m.contains("random[:SEED]"), m);
      assertTrue(e instanceof IllegalStateException);
      try (var files = Files.list(cache)) {
        assertTrue(
            files.flatMap(Vgg16WeightsTest::walk).noneMatch(p -> Files.isRegularFile(p)),
            "no partial download is left in the cache");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      DL4JResources.resetBaseDirectoryLocation();
      DL4JResources.setBaseDownloadURL(url);
    }
  }

  private static java.util.stream.Stream<Path> walk(Path p) {
    try {
      return Files.walk(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aMissingWeightsFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("vgg16.zip");
    WeightsUnavailableException e =
        assertThrows(
            WeightsUnavailableException.class, () -> Vgg16Weights.parse(missing.toString()).load());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("random[:SEED]"), e.getMessage());
  }

  @Test
  void unknownModelIsRefusedWithTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Embedders.create("alexnet", "random"));
    assertTrue(
        e.getMessage().contains("alexnet") && e.getMessage().contains("vgg16"), e.getMessage());
  }
}
