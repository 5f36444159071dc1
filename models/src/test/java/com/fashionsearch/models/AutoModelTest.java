package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AutoModelTest {
  @Test
  void cachedZooWeightsWinWithoutAskingTheNetwork() {
    AtomicBoolean asked = new AtomicBoolean();
    AutoModel.Choice c =
        AutoModel.choose(true, () -> asked.getAndSet(true), m -> Optional.of("/x.tflite"));
    assertEquals("vgg16", c.model());
    assertEquals("zoo", c.weights());
    assertTrue(c.reason().contains("cached"), c.reason());
    assertFalse(asked.get(), "no reachability check when the weights are cached");
  }

  @Test
  void reachableZooMeansVgg16Downloaded() {
    AutoModel.Choice c = AutoModel.choose(false, () -> true, m -> Optional.of("/x.tflite"));
    assertEquals("vgg16", c.model());
    assertTrue(c.reason().contains("downloaded"), c.reason());
  }

  @Test
  void offlineTheFirstPreferredNetworkAtHandIsChosen() {
    Map<String, String> files = new java.util.HashMap<>();
    for (String model : Embedders.PREFERRED_PRETRAINED) {
      files.put(model, "/m/" + model + ".tflite");
    }
    AutoModel.Choice both =
        AutoModel.choose(false, () -> false, m -> Optional.ofNullable(files.get(m)));
    String first = Embedders.PREFERRED_PRETRAINED.get(0);
    assertEquals(first, both.model());
    assertEquals(files.get(first), both.weights());
    assertTrue(both.describe().contains("pretrained"), both.describe());

    String second = Embedders.PREFERRED_PRETRAINED.get(1);
    AutoModel.Choice onlySecond =
        AutoModel.choose(
            false, () -> false, m -> m.equals(second) ? Optional.of("/s") : Optional.empty());
    assertEquals(second, onlySecond.model());
  }

  @Test
  void nothingAtHandIsAnErrorThatNeverFallsBackToUntrainedWeights() {
    WeightsUnavailableException e =
        assertThrows(
            WeightsUnavailableException.class,
            () -> AutoModel.choose(false, () -> false, m -> Optional.empty()));
    assertTrue(e.getMessage().contains("no pretrained weights"), e.getMessage());
    assertTrue(e.getMessage().contains(Embedders.PREFERRED_PRETRAINED.get(0)), e.getMessage());
  }

  @Test
  void everyPreferredModelIsAKnownModelWhoseFileCanBeLookedFor() {
    for (String model : Embedders.PREFERRED_PRETRAINED) {
      assertTrue(Embedders.models().contains(model), model + " is not in Embedders.models()");
      AutoModel.pretrainedAtHand(model); // throws for a model it cannot look for
    }
    assertTrue(AutoModel.isAuto(null));
    assertTrue(AutoModel.isAuto("AUTO"));
    assertFalse(AutoModel.isAuto("vgg16"));
  }
}
