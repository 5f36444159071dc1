package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {

  @Test
  void theTestsRunTheVectorKernels() {
    // surefire passes --add-modules jdk.incubator.vector, as fashion does: the fast path is tested
    assertTrue(Kernels.VECTORIZED, "the vector API path is not in use");
  }

  @Test
  void multiplyAddMatchesThePlainLoopAtEveryLengthAndOffset() {
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 7, 8, 9, 31, 32, 33, 1024, 1029}) {
      float[] x = randoms(random, length + 11);
      float[] w = randoms(random, length + 5);
      float[] acc = randoms(random, length + 3);
      float[] expected = acc.clone();
      for (int i = 0; i < length; i++) {
        expected[3 + i] += x[11 + i] * w[5 + i];
      }
      VectorKernels.multiplyAdd(acc, 3, x, 11, w, 5, length);
      assertArrayEquals(expected, acc, 1e-6f, "length " + length);
      float[] plain = expected.clone();
      float[] viaKernels = acc.clone();
      // one more step through the dispatching entry point gives the same values as well
      for (int i = 0; i < length; i++) {
        plain[3 + i] += x[11 + i] * w[5 + i];
      }
      Kernels.multiplyAdd(viaKernels, 3, x, 11, w, 5, length);
      assertArrayEquals(plain, viaKernels, 1e-6f, "length " + length);
    }
  }

  @Test
  void clampKeepsNaNAndHonoursInfiniteBoundsAndTheRange() {
    float[] values = {-3f, -0.5f, 0f, 2.5f, 6f, 7f, Float.NaN, 1f, 9f, -9f, 3f};
    float[] vector = values.clone();
    VectorKernels.clamp(vector, 1, values.length - 1, 0f, 6f);
    assertEquals(-3f, vector[0], "outside the range given: untouched");
    assertArrayEquals(
        new float[] {0f, 0f, 2.5f, 6f, 6f}, java.util.Arrays.copyOfRange(vector, 1, 6));
    assertTrue(Float.isNaN(vector[6]));
    assertArrayEquals(new float[] {1f, 6f, 0f, 3f}, java.util.Arrays.copyOfRange(vector, 7, 11));

    float[] open = values.clone();
    VectorKernels.clamp(open, 0, open.length, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    assertArrayEquals(values, open);
  }

  private static float[] randoms(Random random, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextFloat() * 4 - 2;
    }
    return a;
  }
}
