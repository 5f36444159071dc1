package com.fashionsearch.models.mobilenet;

/**
 * {@code Conv2DOptions} and {@code DepthwiseConv2DOptions}, which share padding, strides and the
 * fused activation (at different field numbers). Read-only view; thread-safe while the bytes are
 * not modified.
 */
public final class TfliteConvOptions extends TfliteTable {
  /** {@code Padding}. */
  public static final int PADDING_SAME = 0;

  public static final int PADDING_VALID = 1;

  /** {@code ActivationFunctionType}. */
  public static final int ACTIVATION_NONE = 0;

  public static final int ACTIVATION_RELU = 1;
  public static final int ACTIVATION_RELU6 = 3;

  private final boolean depthwise;

  TfliteConvOptions(boolean depthwise) {
    this.depthwise = depthwise;
  }

  public int padding() {
    return byteField(0, PADDING_SAME);
  }

  public int strideW() {
    return intField(1, 1);
  }

  public int strideH() {
    return intField(2, 1);
  }

  /** The depthwise channel multiplier (1 for a plain convolution). */
  public int depthMultiplier() {
    return depthwise ? intField(3, 1) : 1;
  }

  public int fusedActivation() {
    return byteField(depthwise ? 4 : 3, ACTIVATION_NONE);
  }

  public int dilationW() {
    return intField(depthwise ? 5 : 4, 1);
  }

  public int dilationH() {
    return intField(depthwise ? 6 : 5, 1);
  }
}
