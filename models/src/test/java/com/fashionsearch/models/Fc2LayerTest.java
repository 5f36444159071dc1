package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class Fc2LayerTest {
  static {
    NativeBackend.select(); // before ND4J loads: the plain build on a CPU without AVX2
  }

  @Test
  void findsFc2ByStructureInTheZoosNumberedGraphAndCutsTheClassifier() {
    ComputationGraph full = VGG16.builder().seed(1).numClasses(1000).build().init();
    try {
      assertEquals(
          "19", Fc2Layer.find(full), "the untrained zoo graph numbers its layers; fc2 is the 20th");
      ComputationGraph cut = Fc2Layer.truncate(full);
      try {
        assertEquals(List.of("19"), cut.getConfiguration().getNetworkOutputs());
        assertTrue(cut.getVertex("18") != null);
        assertTrue(cut.getVertex("20") == null, "the classifier is removed, not only unused");
        assertTrue(cut.numParams() < full.numParams());
      } finally {
        cut.close();
      }
    } finally {
      full.close();
    }
  }

  @Test
  void findsFc2InAGraphWithKerasNamesAndOutputsItsActivation() {
    ComputationGraph full = StandInVgg16.build(3, false);
    assertEquals("fc2", Fc2Layer.find(full));
    INDArray x = new Vgg16Input(ResizeMode.PAD).nchw(TestImages.portraits(2, 5));
    Map<String, INDArray> all = full.feedForward(x, false);
    ComputationGraph cut = Fc2Layer.truncate(full);
    INDArray fc2 = cut.outputSingle(false, x);
    assertEquals(all.get("fc2"), fc2);
    assertTrue(fc2.minNumber().doubleValue() >= 0, "after its ReLU");
    assertTrue(fc2.maxNumber().doubleValue() > 0, "not all zero: the comparison means something");
  }

  @Test
  void takesTheReluLayerAfterAnIdentityFc2() {
    ComputationGraph full = StandInVgg16.build(4, true);
    assertEquals("fc2_relu", Fc2Layer.find(full));
    INDArray x = new Vgg16Input(ResizeMode.PAD).nchw(TestImages.portraits(1, 6));
    Map<String, INDArray> all = full.feedForward(x, false);
    INDArray cut = Fc2Layer.truncate(full).outputSingle(false, x);
    assertEquals(all.get("fc2_relu"), cut);
    assertTrue(cut.minNumber().doubleValue() >= 0, "after the ReLU");
  }

  @Test
  void refusesAGraphWithoutTwo4096DenseLayers() {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .graphBuilder()
            .addInputs("in")
            .addLayer(
                "fc1",
                new DenseLayer.Builder().nIn(8).nOut(4096).activation(Activation.RELU).build(),
                "in")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nOut(2)
                    .activation(Activation.IDENTITY)
                    .build(),
                "fc1")
            .setOutputs("out")
            .setInputTypes(InputType.feedForward(8))
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Fc2Layer.find(graph));
    assertTrue(e.getMessage().contains("[fc1]"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
