package com.fashionsearch.models.mobilenet;

/**
 * The element-wise loops of {@link MobileNetGraph}'s Java layers: with the incubating vector API
 * ({@code --add-modules jdk.incubator.vector}, which {@code fashion} and the tests pass) a vector
 * register at a time ({@link VectorKernels}), else plain loops that compute the same values.
 */
final class Kernels {
  static final boolean VECTORIZED = vectorApi();

  private Kernels() {}

  private static boolean vectorApi() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorKernels.wide();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** {@code acc[a + i] += x[b + i] * w[c + i]} for {@code i < length}. */
  static void multiplyAdd(float[] acc, int a, float[] x, int b, float[] w, int c, int length) {
    if (VECTORIZED) {
      VectorKernels.multiplyAdd(acc, a, x, b, w, c, length);
      return;
    }
    for (int i = 0; i < length; i++) {
      acc[a + i] += x[b + i] * w[c + i];
    }
  }

  /** Clamps {@code values[from, from + length)} to {@code [lo, hi]}. */
  static void clamp(float[] values, int from, int length, float lo, float hi) {
    if (VECTORIZED) {
      VectorKernels.clamp(values, from, length, lo, hi);
      return;
    }
    for (int i = from; i < from + length; i++) {
      float v = values[i];
      values[i] = v < lo ? lo : (v > hi ? hi : v);
    }
  }
}
