package com.fashionsearch.models.mobilenet;

/**
 * {@code Operator}: an operator code index, input and output tensor indices and the builtin options
 * union. Read-only view; thread-safe while the bytes are not modified.
 */
public final class TfliteOperator extends TfliteTable {
  /** {@code BuiltinOptions} union types of {@code schema.fbs}. */
  public static final int CONV_2D_OPTIONS = 1;

  public static final int DEPTHWISE_CONV_2D_OPTIONS = 2;
  public static final int POOL_2D_OPTIONS = 5;
  public static final int RESHAPE_OPTIONS = 17;
  public static final int ADD_OPTIONS = 11;
  public static final int SQUEEZE_OPTIONS = 30;

  public int opcodeIndex() {
    return intField(0, 0);
  }

  /** Input tensor indices; -1 marks an omitted optional input. */
  public int[] inputs() {
    return intVector(1);
  }

  public int[] outputs() {
    return intVector(2);
  }

  public int builtinOptionsType() {
    return unsignedByteField(3, 0);
  }

  /** The options of a {@code CONV_2D} or {@code DEPTHWISE_CONV_2D}. */
  public TfliteConvOptions convOptions() {
    requireOptions(CONV_2D_OPTIONS, DEPTHWISE_CONV_2D_OPTIONS);
    return unionField(4, new TfliteConvOptions(builtinOptionsType() == DEPTHWISE_CONV_2D_OPTIONS));
  }

  public TflitePoolOptions poolOptions() {
    requireOptions(POOL_2D_OPTIONS, POOL_2D_OPTIONS);
    return unionField(4, new TflitePoolOptions());
  }

  /**
   * The fused activation of an {@code ADD}: {@link TfliteConvOptions#ACTIVATION_NONE} when absent.
   */
  public int addActivation() {
    if (builtinOptionsType() != ADD_OPTIONS) {
      return TfliteConvOptions.ACTIVATION_NONE;
    }
    return unionField(4, new TfliteAddOptions()).fusedActivation();
  }

  /** The target shape of a {@code RESHAPE} given in its options, or {@code null} when absent. */
  public int[] reshapeNewShape() {
    if (builtinOptionsType() != RESHAPE_OPTIONS) {
      return null;
    }
    return unionField(4, new TfliteReshapeOptions()).newShape();
  }

  /**
   * The dimensions a {@code SQUEEZE} removes as given in its options, or {@code null} when absent
   * (then every dimension of size 1 goes).
   */
  public int[] squeezeDims() {
    if (builtinOptionsType() != SQUEEZE_OPTIONS) {
      return null;
    }
    return unionField(4, new TfliteSqueezeOptions()).squeezeDims();
  }

  private void requireOptions(int a, int b) {
    int t = builtinOptionsType();
    if (t != a && t != b) {
      throw new IllegalStateException(
          "operator has builtin options of type " + t + ", expected " + a);
    }
  }

  /** {@code AddOptions}. */
  static final class TfliteAddOptions extends TfliteTable {
    int fusedActivation() {
      return byteField(0, TfliteConvOptions.ACTIVATION_NONE);
    }
  }

  /** {@code SqueezeOptions}. */
  static final class TfliteSqueezeOptions extends TfliteTable {
    int[] squeezeDims() {
      return intVector(0);
    }
  }

  /** {@code ReshapeOptions}. */
  static final class TfliteReshapeOptions extends TfliteTable {
    int[] newShape() {
      return intVector(0);
    }
  }
}
