package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Embedders#deferred}: the same identity as {@link Embedders#create} without the network,
 * and the same failures up front for weights that cannot be had. MobileNet's are in {@code
 * mobilenet.DeferredMobileNetTest}.
 */
class DeferredEmbeddersTest {

  @Test
  void vgg16RandomHasTheEagerIdentityAndBuildsOnlyWhenAsked() {
    EmbedderIdentity eager;
    try (ImageEmbedder e = Embedders.create("vgg16", "random:7", ResizeMode.CROP)) {
      eager = e.identity();
    }
    assertEquals(
        new EmbedderIdentity("vgg16", "random:7", false, 4096, "crop-224-bgr-vggmean"), eager);
    try (ImageEmbedder deferred = Embedders.deferred("vgg16", "random:7", ResizeMode.CROP)) {
      LazyEmbedder lazy = assertInstanceOf(LazyEmbedder.class, deferred);
      assertEquals(eager, lazy.identity());
      assertFalse(lazy.isBuilt());
      lazy.ensureBuilt(); // the built network's identity is checked against the declared one
      assertTrue(lazy.isBuilt());
    }
  }

  @Test
  void histogramHasTheEagerIdentity() {
    try (ImageEmbedder eager = Embedders.create("histogram", "none");
        ImageEmbedder deferred = Embedders.deferred("histogram", "none", ResizeMode.PAD)) {
      assertEquals(eager.identity(), deferred.identity());
    }
  }

  @Test
  void aMissingVgg16FileFailsUpFrontWithTheEagerMessage(@TempDir Path dir) {
    String missing = dir.resolve("vgg16.zip").toString();
    WeightsUnavailableException eager =
        assertThrows(WeightsUnavailableException.class, () -> Embedders.create("vgg16", missing));
    WeightsUnavailableException deferred =
        assertThrows(
            WeightsUnavailableException.class,
            () -> Embedders.deferred("vgg16", missing, ResizeMode.PAD));
    assertEquals(eager.getMessage(), deferred.getMessage());
    assertTrue(deferred.getMessage().contains(missing), deferred.getMessage());
  }

  @Test
  void aCorruptVgg16FileIsNamedByItsChecksumAndFailsWhenBuilt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vgg16.zip");
    Files.writeString(file, "not a model", StandardCharsets.UTF_8);
    String sha = Vgg16Weights.sha256Prefix(file);
    try (ImageEmbedder deferred = Embedders.deferred("vgg16", file.toString(), ResizeMode.PAD)) {
      assertEquals("file:vgg16.zip:sha256=" + sha, deferred.weightsId());
      assertTrue(deferred.pretrained());
      WeightsUnavailableException built =
          assertThrows(WeightsUnavailableException.class, deferred::ensureBuilt);
      WeightsUnavailableException eager =
          assertThrows(
              WeightsUnavailableException.class, () -> Embedders.create("vgg16", file.toString()));
      assertEquals(eager.getMessage(), built.getMessage());
    }
  }

  @Test
  void malformedSpecsAndUnknownModelsFailUpFront() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Embedders.deferred("vgg16", "random:x", ResizeMode.PAD));
    assertThrows(
        IllegalArgumentException.class,
        () -> Embedders.deferred("alexnet", "random", ResizeMode.PAD));
    assertThrows(
        IllegalArgumentException.class,
        () -> Embedders.deferred("histogram", "zoo:x", ResizeMode.PAD));
    assertThrows(
        IllegalArgumentException.class,
        () -> Embedders.deferred("mobilenet-v1", "random", ResizeMode.PAD));
  }
}
