package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Shape inference on the real files: where a file declares every shape (v2, v3) the inferred shapes
 * must agree with all of them ({@link TensorShapes#infer} fails on the first disagreement, so the
 * count of checked tensors is asserted too); where it declares none (EdgeTPU) the inferred shapes
 * must give the known layout of the network.
 */
class TensorShapesTest {

  private static TfliteModel model(MobileNetVariant variant) throws Exception {
    Path file = MobileNetTestFiles.require(variant);
    return TfliteModel.of(ByteBuffer.wrap(Files.readAllBytes(file)));
  }

  @Test
  void inferredShapesAgreeWithEveryShapeTheV2AndV3FilesDeclare() throws Exception {
    for (MobileNetVariant variant :
        new MobileNetVariant[] {MobileNetVariant.V2, MobileNetVariant.V3}) {
      TfliteModel model = model(variant);
      TfliteSubGraph graph = model.subgraph(0);
      TensorShapes shapes = TensorShapes.infer(model, graph);
      int checked = 0;
      for (int o = 0; o < graph.operatorsLength(); o++) {
        int out = graph.operator(o).outputs()[0];
        int[] declared = graph.tensor(out).shape();
        assertTrue(declared.length > 0, variant + ": the file declares the shape of tensor " + out);
        assertArrayEquals(declared, shapes.shape(out), variant + " tensor " + out);
        checked++;
      }
      assertEquals(graph.operatorsLength(), checked);
    }
  }

  @Test
  void edgeTpuShapesAreInferredFromTheInputAndTheWeights() throws Exception {
    TfliteModel model = model(MobileNetVariant.EDGETPU);
    TfliteSubGraph graph = model.subgraph(0);
    int withoutShape = 0;
    for (int o = 0; o < graph.operatorsLength(); o++) {
      if (graph.tensor(graph.operator(o).outputs()[0]).shape().length == 0) {
        withoutShape++;
      }
    }
    assertTrue(withoutShape > 70, "the file leaves out the shapes of its outputs: " + withoutShape);
    TensorShapes shapes = TensorShapes.infer(model, graph);
    MobileNetGraph compiled = MobileNetGraph.build(model);
    int pooled =
        Integer.parseInt(compiled.tensorNamed("MobilenetEdgeTPU/Logits/AvgPool").substring(1));
    assertArrayEquals(new int[] {1, 1, 1, 1280}, shapes.shape(pooled));
    int first = graph.operator(0).outputs()[0];
    assertArrayEquals(new int[] {1, 112, 112, 32}, shapes.shape(first), "3x3 stride-2 SAME stem");
    int softmax = graph.outputs()[0];
    assertArrayEquals(
        new int[] {1, 1001}, shapes.shape(softmax), "squeeze and reshape to the logits");
    assertEquals(
        compiled.featureMap(),
        MobileNetGraph.variableName(graph.operator(graph.operatorsLength() - 5).inputs()[0]),
        "the 7x7 map before the pooling");
    compiled.close();
  }

  @Test
  void anUnknownTensorIndexIsRefusedWithTheIndex() throws Exception {
    TfliteModel model = model(MobileNetVariant.V3);
    TensorShapes shapes = TensorShapes.infer(model, model.subgraph(0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> shapes.shape(100000));
    assertTrue(e.getMessage().contains("100000"), e.getMessage());
  }
}
