package com.fashionsearch.models.mobilenet;

/**
 * {@code Tensor}: shape, element type, the buffer holding constant data, name and quantisation.
 * Read-only view; thread-safe while the bytes are not modified.
 */
public final class TfliteTensor extends TfliteTable {
  /** {@code TensorType} values of {@code schema.fbs}. */
  public static final int FLOAT32 = 0;

  public static final int INT32 = 2;
  public static final int UINT8 = 3;
  public static final int INT64 = 4;
  public static final int INT8 = 9;

  public int[] shape() {
    return intVector(0);
  }

  public int type() {
    return byteField(1, FLOAT32);
  }

  /** Index into the model's buffers; buffer 0 is the empty sentinel of non-constant tensors. */
  public int buffer() {
    return intField(2, 0);
  }

  public String name() {
    return stringField(3);
  }

  /** The quantisation parameters, or {@code null} when the tensor has none. */
  public TfliteQuantization quantization() {
    return tableField(4, new TfliteQuantization());
  }

  /** A name for the type, for messages. */
  public static String typeName(int type) {
    return switch (type) {
      case FLOAT32 -> "float32";
      case INT32 -> "int32";
      case UINT8 -> "uint8";
      case INT64 -> "int64";
      case INT8 -> "int8";
      default -> "type#" + type;
    };
  }
}
