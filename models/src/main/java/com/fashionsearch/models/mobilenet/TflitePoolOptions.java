package com.fashionsearch.models.mobilenet;

/** {@code Pool2DOptions}. Read-only view; thread-safe while the bytes are not modified. */
public final class TflitePoolOptions extends TfliteTable {

  public int padding() {
    return byteField(0, TfliteConvOptions.PADDING_SAME);
  }

  public int strideW() {
    return intField(1, 1);
  }

  public int strideH() {
    return intField(2, 1);
  }

  public int filterWidth() {
    return intField(3, 1);
  }

  public int filterHeight() {
    return intField(4, 1);
  }

  public int fusedActivation() {
    return byteField(5, TfliteConvOptions.ACTIVATION_NONE);
  }
}
