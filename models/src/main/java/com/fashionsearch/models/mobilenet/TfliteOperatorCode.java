package com.fashionsearch.models.mobilenet;

/**
 * {@code OperatorCode}: which builtin operator an operator runs. Read-only view; thread-safe while
 * the bytes are not modified.
 */
public final class TfliteOperatorCode extends TfliteTable {
  /** Builtin operator codes of {@code schema.fbs} that MobileNet files use. */
  public static final int ADD = 0;

  public static final int AVERAGE_POOL_2D = 1;
  public static final int CONV_2D = 3;
  public static final int DEPTHWISE_CONV_2D = 4;
  public static final int RESHAPE = 22;
  public static final int SOFTMAX = 25;
  public static final int SQUEEZE = 43;

  /**
   * The builtin operator: newer files write it in {@code builtin_code} (field 3) and keep the old
   * byte field 0 ({@code deprecated_builtin_code}) for codes below 127; the larger of the two is
   * the code.
   */
  public int builtinCode() {
    return Math.max(byteField(0, 0), intField(3, 0));
  }

  /** The custom operator's name, or {@code null} for builtins. */
  public String customCode() {
    return stringField(1);
  }

  public int version() {
    return intField(2, 1);
  }
}
