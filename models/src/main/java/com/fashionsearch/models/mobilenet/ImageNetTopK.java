package com.fashionsearch.models.mobilenet;

import java.util.Arrays;

/**
 * The indices of the largest scores, for reading a classifier's logits. Thread-safe (stateless).
 */
public final class ImageNetTopK {
  private ImageNetTopK() {}

  /**
   * @return the indices of the {@code k} largest scores, largest first, ties by lower index
   * @throws IllegalArgumentException if {@code k} is not in {@code [1, scores.length]}
   */
  public static int[] topK(float[] scores, int k) {
    if (k < 1 || k > scores.length) {
      throw new IllegalArgumentException("k must be in [1, " + scores.length + "], got: " + k);
    }
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Float.compare(scores[b], scores[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = order[i];
    }
    return out;
  }
}
