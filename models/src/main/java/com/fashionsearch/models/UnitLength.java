package com.fashionsearch.models;

/**
 * Scaling vectors to unit L2 length, as every embedder, the learned projection and the indexers
 * need (the index's dot product is the cosine only on unit vectors). Stateless and thread-safe.
 */
public final class UnitLength {
  private UnitLength() {}

  /** Scales {@code v} to unit length in place; an all-zero vector stays zero. */
  public static void normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
  }

  /**
   * The first {@code n} components of a unit vector, scaled to unit length again: the network's own
   * image embedding in front of intermediate features (see {@link
   * ImageEmbedder#visualDimension()}). Returns {@code v} itself when it has {@code n} components.
   *
   * @throws IllegalArgumentException when {@code v} has fewer than {@code n} components
   */
  public static float[] leading(float[] v, int n) {
    if (v.length == n) {
      return v;
    }
    if (n < 1 || v.length < n) {
      throw new IllegalArgumentException(
          "cannot take the first " + n + " dimensions of a vector of " + v.length);
    }
    float[] out = java.util.Arrays.copyOf(v, n);
    normalise(out);
    return out;
  }

  /** True when every component is zero (a feature vector that carries nothing to index). */
  public static boolean isZero(float[] v) {
    for (float x : v) {
      if (x != 0f) {
        return false;
      }
    }
    return true;
  }
}
