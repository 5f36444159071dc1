package com.fashionsearch.models.mobilenet;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} with the incubating vector API. Loaded only when the JVM has the module: one
 * started without {@code --add-modules jdk.incubator.vector} cannot initialize it.
 */
final class VectorKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private VectorKernels() {}

  /** Whether the vectors are at least 256 bits wide (below that the plain loops are as fast). */
  static boolean wide() {
    return SPECIES.vectorBitSize() >= 256;
  }

  /**
   * As {@link Kernels#multiplyAdd}; a fused multiply-add rounds once where the plain loop rounds
   * twice (a difference in the last bit).
   */
  static void multiplyAdd(float[] acc, int a, float[] x, int b, float[] w, int c, int length) {
    int bound = SPECIES.loopBound(length);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, x, b + i)
          .fma(FloatVector.fromArray(SPECIES, w, c + i), FloatVector.fromArray(SPECIES, acc, a + i))
          .intoArray(acc, a + i);
    }
    for (; i < length; i++) {
      acc[a + i] += x[b + i] * w[c + i];
    }
  }

  /** As {@link Kernels#clamp}. */
  static void clamp(float[] values, int from, int length, float lo, float hi) {
    FloatVector low = FloatVector.broadcast(SPECIES, lo);
    FloatVector high = FloatVector.broadcast(SPECIES, hi);
    int bound = from + SPECIES.loopBound(length);
    int i = from;
    for (; i < bound; i += LANES) {
      FloatVector.fromArray(SPECIES, values, i).max(low).min(high).intoArray(values, i);
    }
    for (; i < from + length; i++) {
      float v = values[i];
      values[i] = v < lo ? lo : (v > hi ? hi : v);
    }
  }
}
