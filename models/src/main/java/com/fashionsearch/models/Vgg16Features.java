package com.fashionsearch.models;

import java.util.Locale;

/**
 * Which VGG16 features an embedder outputs: {@code fc2} (model {@code vgg16}, 4096-d), or the
 * 7x7x512 map after {@code block5_pool} pooled over its 49 positions (model {@code vgg16-pool5},
 * 512-d) by max pooling (MAC), average pooling (SPoC) or generalised mean pooling with p = 3 (GeM).
 * Every vector is L2-normalised afterwards. The pooling is part of the preprocessing id, so an
 * index or cache never mixes two poolings. Thread-safe (immutable).
 */
public enum Vgg16Features {
  /** fc2, after its ReLU. */
  FC2("vgg16", Fc2Layer.WIDTH, ""),
  /** pool5, generalised mean with p = 3: (mean of x^3)^(1/3) per channel. The default pooling. */
  POOL5_GEM("vgg16-pool5", Vgg16Graph.POOL5_CHANNELS, "pool=gem3"),
  /** pool5, maximum per channel (MAC). */
  POOL5_MAX("vgg16-pool5", Vgg16Graph.POOL5_CHANNELS, "pool=max"),
  /** pool5, mean per channel (SPoC). */
  POOL5_AVG("vgg16-pool5", Vgg16Graph.POOL5_CHANNELS, "pool=avg");

  /** The model id of the pooled features. */
  public static final String POOL5_MODEL_ID = "vgg16-pool5";

  /**
   * The system property that picks the pooling of {@code vgg16-pool5}: gem (default), max or avg.
   */
  public static final String POOLING_PROPERTY = "fashion.vgg16.pooling";

  /** GeM's exponent. */
  static final double GEM_P = 3;

  private final String modelId;
  private final int dimension;
  private final String poolingId;

  Vgg16Features(String modelId, int dimension, String poolingId) {
    this.modelId = modelId;
    this.dimension = dimension;
    this.poolingId = poolingId;
  }

  /** The model id: {@code vgg16} or {@code vgg16-pool5}. */
  public String modelId() {
    return modelId;
  }

  /** The vector dimension. */
  public int dimension() {
    return dimension;
  }

  /** Whether these are pooled convolution features, which need no dense layers. */
  public boolean pooled() {
    return this != FC2;
  }

  /** The preprocessing id of these features after the input's id ({@code pad-224-bgr-vggmean}). */
  String preprocessing(String inputId) {
    return poolingId.isEmpty() ? inputId : inputId + "," + poolingId;
  }

  /**
   * The pooling of {@code vgg16-pool5} named by a word: {@code gem}, {@code max} or {@code avg}.
   *
   * @throws IllegalArgumentException for another word
   */
  public static Vgg16Features pool5(String pooling) {
    String p = pooling == null ? "" : pooling.strip().toLowerCase(Locale.ROOT);
    return switch (p) {
      case "gem", "gem3" -> POOL5_GEM;
      case "max" -> POOL5_MAX;
      case "avg", "average", "mean" -> POOL5_AVG;
      default ->
          throw new IllegalArgumentException(
              "the pooling of "
                  + POOL5_MODEL_ID
                  + " must be gem, max or avg, got: '"
                  + pooling
                  + "'");
    };
  }

  /** The pooling the system property {@value #POOLING_PROPERTY} asks for, GeM when unset. */
  public static Vgg16Features pool5FromSystemProperty() {
    return pool5(System.getProperty(POOLING_PROPERTY, "gem"));
  }

  /**
   * The pool5 features a recorded preprocessing id names ({@code ...,pool=max}); GeM when it names
   * none.
   */
  public static Vgg16Features pool5Recorded(String preprocessing) {
    if (preprocessing != null) {
      for (Vgg16Features f : values()) {
        if (f.pooled() && preprocessing.contains(f.poolingId)) {
          return f;
        }
      }
    }
    return POOL5_GEM;
  }

  /**
   * Pools a batch of maps over space.
   *
   * @param nhwc the maps, {@code n * positions * channels} values, position-major (NHWC)
   * @return {@code n} vectors of {@code channels} values, not normalised
   */
  float[][] pool(float[] nhwc, int n, int positions, int channels) {
    if (!pooled()) {
      throw new IllegalStateException(this + " is not a pooling");
    }
    float[][] out = new float[n][channels];
    for (int i = 0; i < n; i++) {
      float[] v = out[i];
      double[] acc = new double[channels];
      if (this == POOL5_MAX) {
        java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
      }
      int base = i * positions * channels;
      for (int p = 0; p < positions; p++) {
        int o = base + p * channels;
        for (int c = 0; c < channels; c++) {
          double x = nhwc[o + c];
          switch (this) {
            case POOL5_MAX -> acc[c] = Math.max(acc[c], x);
            case POOL5_AVG -> acc[c] += x;
            default ->
                acc[c] += Math.pow(Math.max(x, 0), GEM_P); // after ReLU and max pooling x >= 0
          }
        }
      }
      for (int c = 0; c < channels; c++) {
        v[c] =
            (float)
                switch (this) {
                  case POOL5_MAX -> acc[c];
                  case POOL5_AVG -> acc[c] / positions;
                  default -> Math.pow(acc[c] / positions, 1 / GEM_P);
                };
      }
    }
    return out;
  }
}
