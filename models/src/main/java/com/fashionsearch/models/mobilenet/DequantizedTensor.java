package com.fashionsearch.models.mobilenet;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A constant tensor of a TFLite file turned into floats: {@code real = scale * (q - zero_point)},
 * with one scale and zero point per tensor or per slice along the quantised dimension. uint8, int8
 * and int32 data are dequantised; float32 is copied. An int32 bias without its own scale takes
 * {@code input_scale * weight_scale} (TFLite's rule) through {@link #ofBias}. Immutable.
 *
 * @param shape the tensor's shape
 * @param values the values in row-major order of {@code shape}
 */
public record DequantizedTensor(int[] shape, float[] values) {

  /**
   * Dequantises tensor {@code index} of {@code graph}.
   *
   * @throws IllegalArgumentException if the tensor has no data, an unsupported type, or
   *     quantisation parameters that do not fit its shape
   */
  public static DequantizedTensor of(TfliteModel model, TfliteSubGraph graph, int index) {
    TfliteTensor tensor = graph.tensor(index);
    TfliteQuantization q = tensor.quantization();
    float[] scales = q == null ? new float[0] : q.scale();
    long[] zeroPoints = q == null ? new long[0] : q.zeroPoint();
    int axis = q == null ? 0 : q.quantizedDimension();
    return of(model, tensor, scales, zeroPoints, axis);
  }

  /**
   * Dequantises the int32 bias {@code biasIndex} of a convolution: with its own scales when the
   * file gives them, else with {@code input_scale * weight_scale} per output channel.
   */
  public static DequantizedTensor ofBias(
      TfliteModel model, TfliteSubGraph graph, int biasIndex, int inputIndex, int weightIndex) {
    TfliteTensor bias = graph.tensor(biasIndex);
    TfliteQuantization q = bias.quantization();
    if (bias.type() != TfliteTensor.INT32 || (q != null && q.scale().length > 0)) {
      return of(model, graph, biasIndex);
    }
    float inputScale = graph.tensor(inputIndex).quantization().scale()[0];
    float[] weightScales = graph.tensor(weightIndex).quantization().scale();
    float[] scales = new float[weightScales.length];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = inputScale * weightScales[i];
    }
    return of(model, bias, scales, new long[scales.length], 0);
  }

  private static DequantizedTensor of(
      TfliteModel model, TfliteTensor tensor, float[] scales, long[] zeroPoints, int axis) {
    return dequantize(
        tensor.name(),
        tensor.type(),
        model.buffer(tensor.buffer()).data(),
        tensor.shape(),
        scales,
        zeroPoints,
        axis);
  }

  /**
   * Dequantises raw little-endian tensor data.
   *
   * @param axis the dimension the scales run along when there is more than one
   * @throws IllegalArgumentException for an unsupported type, a size mismatch or scales that do not
   *     fit the shape
   */
  static DequantizedTensor dequantize(
      String name,
      int type,
      ByteBuffer data,
      int[] shape,
      float[] scales,
      long[] zeroPoints,
      int axis) {
    int count = 1;
    for (int d : shape) {
      count *= d;
    }
    int width =
        switch (type) {
          case TfliteTensor.UINT8, TfliteTensor.INT8 -> 1;
          case TfliteTensor.INT32, TfliteTensor.FLOAT32 -> 4;
          default ->
              throw new IllegalArgumentException(
                  "tensor '" + name + "' has unsupported type " + TfliteTensor.typeName(type));
        };
    if (data.remaining() != count * width) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' of shape "
              + Arrays.toString(shape)
              + " and type "
              + TfliteTensor.typeName(type)
              + " needs "
              + count * width
              + " bytes, its buffer has "
              + data.remaining());
    }
    float[] values = new float[count];
    if (type == TfliteTensor.FLOAT32) {
      data.asFloatBuffer().get(values);
      return new DequantizedTensor(shape, values);
    }
    if (scales.length == 0) {
      throw new IllegalArgumentException("quantised tensor '" + name + "' has no scale");
    }
    int channels = scales.length;
    int stride = 1;
    if (channels > 1) {
      if (axis < 0 || axis >= shape.length || shape[axis] != channels) {
        throw new IllegalArgumentException(
            "tensor '"
                + name
                + "' of shape "
                + Arrays.toString(shape)
                + " has "
                + channels
                + " scales along dimension "
                + axis);
      }
      for (int d = axis + 1; d < shape.length; d++) {
        stride *= shape[d];
      }
    }
    for (int i = 0; i < count; i++) {
      int c = channels > 1 ? (i / stride) % channels : 0;
      long zero = zeroPoints.length == 0 ? 0 : zeroPoints[zeroPoints.length > 1 ? c : 0];
      long raw =
          switch (type) {
            case TfliteTensor.UINT8 -> Byte.toUnsignedInt(data.get(i));
            case TfliteTensor.INT8 -> data.get(i);
            default -> data.getInt(4 * i);
          };
      values[i] = (float) (scales[c] * (double) (raw - zero));
    }
    return new DequantizedTensor(shape, values);
  }
}
