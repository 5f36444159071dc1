package com.fashionsearch.models.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaWhiteningTest {
  private static final long SEED = 7L;

  @Test
  void whitenedComponentsHaveEqualVarianceAndNoCorrelation() {
    Random random = new Random(SEED);
    int n = 2000;
    float[][] x = new float[n][3];
    for (int i = 0; i < n; i++) {
      double a = random.nextGaussian() * 5;
      double b = random.nextGaussian() * 0.5;
      // correlated axes: a along (1,1,0), b along (1,-1,0), almost nothing along z
      x[i] =
          new float[] {
            (float) (a + b + 3), (float) (a - b - 1), (float) (random.nextGaussian() * 0.01)
          };
    }
    PcaWhitening w = PcaWhitening.fit(x, 2);
    assertEquals(2, w.dimension());
    // without the final normalisation the two outputs would have unit variance; after it, their
    // squares still average 1/2 each and their product averages ~0
    double s0 = 0;
    double s1 = 0;
    double cross = 0;
    for (float[] v : x) {
      float[] y = w.apply(v);
      assertEquals(1.0, y[0] * y[0] + y[1] * y[1], 1e-5);
      s0 += y[0] * y[0];
      s1 += y[1] * y[1];
      cross += y[0] * y[1];
    }
    assertEquals(0.5, s0 / n, 0.05, "seed " + SEED);
    assertEquals(0.5, s1 / n, 0.05, "seed " + SEED);
    assertEquals(0.0, cross / n, 0.05, "seed " + SEED);
  }

  @Test
  void refusesBadDimensions() {
    float[][] x = {{1, 2}, {3, 4}};
    assertThrows(IllegalArgumentException.class, () -> PcaWhitening.fit(x, 3));
    assertThrows(IllegalArgumentException.class, () -> PcaWhitening.fit(new float[][] {{1, 2}}, 1));
    assertThrows(
        IllegalArgumentException.class, () -> PcaWhitening.fit(x, 1).apply(new float[] {1}));
  }
}
