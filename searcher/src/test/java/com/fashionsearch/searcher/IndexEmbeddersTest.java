package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SharedTestFiles;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.mobilenet.MobileNetVariant;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexEmbeddersTest {
  @Test
  void recordedWeightsIdThatIsNoSpecFallsBackToThePackagedWeights() {
    try (ImageEmbedder e =
        new IndexEmbedders(Optional.empty()).create("histogram", "histogram-v1@sha256:0123")) {
      assertEquals("histogram", e.modelId());
      assertEquals("none", e.weightsId());
    }
  }

  @Test
  void explicitWeightsWinAndUnknownModelsAreNamed() {
    try (ImageEmbedder e =
        new IndexEmbedders(Optional.of("none")).create("histogram", "anything")) {
      assertEquals("none", e.weightsId());
    }
    IllegalStateException unknown =
        assertThrows(
            IllegalStateException.class,
            () -> new IndexEmbedders(Optional.empty()).create("no-such-model", "w1"));
    assertTrue(
        unknown.getMessage().contains("no-such-model")
            && unknown.getMessage().contains("--weights"),
        unknown.getMessage());
  }

  @Test
  void theQueryEmbedderUsesTheIndexsRecordedResizeAndPadForAnOldIndex() {
    Path file = SharedTestFiles.environment().file("models", MobileNetVariant.V1.fileName());
    IndexEmbedders embedders = new IndexEmbedders(Optional.of(file.toString()));
    try (ImageEmbedder recorded = embedders.create("mobilenet-v1", "x", "resize=stretch");
        ImageEmbedder old = embedders.create("mobilenet-v1", "x", "");
        ImageEmbedder fresh = embedders.create("mobilenet-v1", "x")) {
      assertEquals("resize=stretch", recorded.preprocessing());
      assertEquals("resize=pad", old.preprocessing());
      assertEquals(
          "resize=pad,power=0.5,mid=4", fresh.preprocessing(), "today's default for a new index");
    }
  }
}
