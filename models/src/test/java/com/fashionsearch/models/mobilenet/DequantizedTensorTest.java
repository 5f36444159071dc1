package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DequantizedTensorTest {

  private static ByteBuffer bytes(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.put((byte) v);
    }
    return b.flip();
  }

  @Test
  void perTensorUint8() {
    DequantizedTensor t =
        DequantizedTensor.dequantize(
            "w",
            TfliteTensor.UINT8,
            bytes(0, 128, 255, 130),
            new int[] {2, 2},
            new float[] {0.5f},
            new long[] {128},
            0);
    assertArrayEquals(new float[] {-64f, 0f, 63.5f, 1f}, t.values());
  }

  @Test
  void perChannelAlongTheLastDimension() {
    // depthwise layout [1, 1, 2, 3]: channel = index % 3
    DequantizedTensor t =
        DequantizedTensor.dequantize(
            "dw",
            TfliteTensor.UINT8,
            bytes(10, 10, 10, 12, 12, 12),
            new int[] {1, 1, 2, 3},
            new float[] {1f, 2f, 3f},
            new long[] {10, 11, 12},
            3);
    assertArrayEquals(new float[] {0f, -2f, -6f, 2f, 2f, 0f}, t.values());
  }

  @Test
  void perChannelAlongTheFirstDimension() {
    // conv layout [2, 1, 1, 2]: channel = index / 2
    DequantizedTensor t =
        DequantizedTensor.dequantize(
            "conv",
            TfliteTensor.UINT8,
            bytes(1, 2, 1, 2),
            new int[] {2, 1, 1, 2},
            new float[] {1f, 10f},
            new long[] {0, 1},
            0);
    assertArrayEquals(new float[] {1f, 2f, 0f, 10f}, t.values());
  }

  @Test
  void int32BiasWithItsScale() {
    ByteBuffer b =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-4).putInt(1000).flip();
    DequantizedTensor t =
        DequantizedTensor.dequantize(
            "bias", TfliteTensor.INT32, b, new int[] {2}, new float[] {0.25f}, new long[] {0}, 0);
    assertArrayEquals(new float[] {-1f, 250f}, t.values());
  }

  @Test
  void sizeMismatchNamesTheTensorAndBothSizes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DequantizedTensor.dequantize(
                    "conv7",
                    TfliteTensor.UINT8,
                    bytes(1, 2, 3),
                    new int[] {2, 2},
                    new float[] {1f},
                    new long[] {0},
                    0));
    assertTrue(
        e.getMessage().contains("conv7")
            && e.getMessage().contains("needs 4 bytes")
            && e.getMessage().contains("has 3"),
        e.getMessage());
  }

  @Test
  void scalesThatDoNotFitTheShapeAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DequantizedTensor.dequantize(
                    "w",
                    TfliteTensor.UINT8,
                    bytes(1, 2, 3, 4),
                    new int[] {2, 2},
                    new float[] {1f, 2f, 3f},
                    new long[] {0, 0, 0},
                    1));
    assertTrue(e.getMessage().contains("3 scales along dimension 1"), e.getMessage());
  }
}
