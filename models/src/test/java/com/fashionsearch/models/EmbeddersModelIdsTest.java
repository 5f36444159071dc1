package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SharedTestFiles;
import com.fashionsearch.models.inception.InceptionMixed5Embedder;
import com.fashionsearch.models.mobilenet.MobileNetTestFiles;
import com.fashionsearch.models.mobilenet.MobileNetVariant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The models added beside v1 and v2 are reachable by their ids, with the identity (dimension,
 * preprocessing) recorded before any network is built, and refuse untrained weights by name.
 */
class EmbeddersModelIdsTest {

  @Test
  void newModelsAreListedAndDeferredWithTheirIdentity() {
    MobileNetTestFiles.require(MobileNetVariant.EDGETPU);
    MobileNetTestFiles.require(MobileNetVariant.V3);
    SharedTestFiles.environment().file("models", InceptionMixed5Embedder.MODEL_FILE);
    assertTrue(
        Embedders.models()
            .containsAll(List.of("mobilenet-edgetpu", "mobilenet-v3", "inception-v3-mixed5")),
        Embedders.models().toString());
    record Expected(String id, int dimension, String preprocessing) {}
    for (Expected e :
        List.of(
            new Expected("mobilenet-edgetpu", 1280, "resize=pad,power=0.5"),
            new Expected("mobilenet-v3", 960, "resize=pad,power=0.5"),
            new Expected(
                "inception-v3-mixed5", 768, "resize=pad,size=299,scale=inception,power=0.5"))) {
      ImageEmbedder embedder = Embedders.deferred(e.id(), "zoo", ResizeMode.PAD);
      LazyEmbedder lazy = assertInstanceOf(LazyEmbedder.class, embedder);
      assertFalse(lazy.isBuilt(), e.id() + " is not built before use");
      assertEquals(e.id(), embedder.modelId());
      assertEquals(e.dimension(), embedder.dimension(), e.id());
      assertEquals(e.preprocessing(), embedder.preprocessing(), e.id());
      assertTrue(embedder.pretrained(), e.id());
      embedder.close();
    }
  }

  @Test
  void untrainedWeightsAreRefusedForEveryNewModel() {
    for (String id : List.of("mobilenet-edgetpu", "mobilenet-v3", "inception-v3-mixed5")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Embedders.deferred(id, "random:3", ResizeMode.PAD));
      assertTrue(
          e.getMessage().contains(id) && e.getMessage().contains("random:3"), e.getMessage());
    }
  }
}
