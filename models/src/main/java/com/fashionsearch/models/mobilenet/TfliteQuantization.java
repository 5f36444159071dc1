package com.fashionsearch.models.mobilenet;

/**
 * {@code QuantizationParameters}: {@code real = scale * (quantized - zero_point)}, with one scale
 * and zero point per tensor, or one per slice along {@link #quantizedDimension()}. Read-only view;
 * thread-safe while the bytes are not modified.
 */
public final class TfliteQuantization extends TfliteTable {

  public float[] min() {
    return floatVector(0);
  }

  public float[] max() {
    return floatVector(1);
  }

  public float[] scale() {
    return floatVector(2);
  }

  public long[] zeroPoint() {
    return longVector(3);
  }

  /** The axis the per-channel scales run along (0 when per tensor). */
  public int quantizedDimension() {
    return intField(6, 0);
  }
}
