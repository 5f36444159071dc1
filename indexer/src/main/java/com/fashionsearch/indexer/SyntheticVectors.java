package com.fashionsearch.indexer;

import java.util.Random;

/**
 * Deterministic clustered, non-negative, unit-length vectors shaped like VGG16 fc2 features (which
 * follow a ReLU, so most are sparse and non-negative): for benchmarks at full catalog size without
 * running a network. Stateless and thread-safe.
 */
public final class SyntheticVectors {
  private SyntheticVectors() {}

  /**
   * @param count how many vectors
   * @param dimension their dimension
   * @param clusters how many cluster centres they are drawn around
   * @param seed the seed; the same arguments give the same vectors
   * @return {@code count} unit vectors; vector {@code i} belongs to cluster {@code i % clusters}
   */
  public static float[][] clustered(int count, int dimension, int clusters, long seed) {
    if (count < 1 || dimension < 1 || clusters < 1) {
      throw new IllegalArgumentException(
          "count, dimension and clusters must be positive, got: "
              + count
              + ", "
              + dimension
              + ", "
              + clusters);
    }
    Random random = new Random(seed);
    float[][] centres = new float[clusters][dimension];
    for (float[] c : centres) {
      for (int d = 0; d < dimension; d++) {
        c[d] = (float) Math.max(0, random.nextGaussian() - 0.5);
      }
    }
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      float[] c = centres[i % clusters];
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) Math.max(0, c[d] + 0.6 * random.nextGaussian() - 0.2);
      }
      out[i] = normalise(v);
    }
    return out;
  }

  /** Scales a vector to unit length in place (an all-zero vector gets one non-zero component). */
  public static float[] normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0) {
      v[0] = 1;
      return v;
    }
    float inv = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
