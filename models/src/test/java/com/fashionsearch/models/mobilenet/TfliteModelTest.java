package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TfliteModelTest {

  @Test
  void refusesBytesWithoutTheTfliteIdentifier() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TfliteModel.of(
                    ByteBuffer.wrap(
                        "\u0000\u0000\u0000\u0000JPEG and more"
                            .getBytes(StandardCharsets.US_ASCII))));
    assertTrue(e.getMessage().contains("TFL3"), e.getMessage());
  }

  @Test
  void readsTheV1EmbeddingExtractor() throws Exception {
    Path file = MobileNetTestFiles.require(MobileNetVariant.V1);
    TfliteModel model = TfliteModel.of(ByteBuffer.wrap(Files.readAllBytes(file)));
    assertEquals(3, model.version());
    assertEquals(1, model.subgraphsLength());
    TfliteSubGraph g = model.subgraph(0);
    TfliteTensor input = g.tensor(g.inputs()[0]);
    assertArrayEquals(new int[] {1, 224, 224, 3}, input.shape());
    assertEquals(TfliteTensor.UINT8, input.type());
    assertEquals(1 / 128f, input.quantization().scale()[0]);
    assertEquals(128L, input.quantization().zeroPoint()[0]);
    Map<Integer, Integer> ops = new TreeMap<>();
    for (int i = 0; i < g.operatorsLength(); i++) {
      ops.merge(model.operatorCode(g.operator(i).opcodeIndex()).builtinCode(), 1, Integer::sum);
    }
    // MobileNet v1: one 3x3 conv and 13 separable blocks (depthwise + pointwise), then the pool
    assertEquals(
        Map.of(
            TfliteOperatorCode.CONV_2D,
            14,
            TfliteOperatorCode.DEPTHWISE_CONV_2D,
            13,
            TfliteOperatorCode.AVERAGE_POOL_2D,
            1),
        ops);
    TfliteOperator first = g.operator(0);
    assertEquals(2, first.convOptions().strideH());
    assertEquals(TfliteConvOptions.PADDING_SAME, first.convOptions().padding());
    assertArrayEquals(new int[] {32, 3, 3, 3}, g.tensor(first.inputs()[1]).shape());
    TfliteOperator pool = g.operator(g.operatorsLength() - 1);
    assertEquals(7, pool.poolOptions().filterHeight());
    assertArrayEquals(new int[] {1, 1, 1, 1024}, g.tensor(g.outputs()[0]).shape());
  }

  @Test
  void sha256OfTheSharedFilesIsTheRecordedOne() throws Exception {
    for (MobileNetVariant v : MobileNetVariant.values()) {
      assertEquals(v.sha256(), MobileNetFiles.sha256(MobileNetTestFiles.require(v)), v.fileName());
    }
  }
}
