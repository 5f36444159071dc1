package com.fashionsearch.models.histogram;

import com.fashionsearch.models.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A joint RGB colour histogram, {@code bins^3} dimensions (8 bins per channel: 512-d), over the
 * product's pixels: near-white background pixels (every channel at least {@value #WHITE}) are left
 * out, unless the image has nothing else. The counts are square-rooted and L2-normalised, so that
 * the cosine of two vectors is their Bhattacharyya coefficient. A trivial model kept as a baseline
 * for retrieval quality; it has no learned weights ({@link #weightsId()} is {@code none}).
 *
 * <p>Thread-safe (stateless apart from its configuration).
 */
public final class ColorHistogramEmbedder implements ImageEmbedder {
  /** The model id on the command line. */
  public static final String MODEL_ID = "histogram";

  /** A pixel whose three channels are all at least this is background. */
  public static final int WHITE = 240;

  private final int bins;

  /**
   * @param bins bins per channel, 2 to 16
   * @throws IllegalArgumentException for a bin count outside that range
   */
  public ColorHistogramEmbedder(int bins) {
    if (bins < 2 || bins > 16) {
      throw new IllegalArgumentException("bins per channel must be in [2, 16], got: " + bins);
    }
    this.bins = bins;
  }

  /**
   * The embedder for a {@code --weights} value: only {@code zoo}, {@code none} or nothing, since it
   * has no weights.
   *
   * @throws IllegalArgumentException for any other weights
   */
  public static ColorHistogramEmbedder forWeights(String weights) {
    String w = weights == null ? "" : weights.trim().toLowerCase(Locale.ROOT);
    if (!w.isEmpty() && !w.equals("zoo") && !w.equals("none") && !w.equals("default")) {
      throw new IllegalArgumentException(
          MODEL_ID
              + " has no weights: give --weights none (or leave it out), got: '"
              + weights
              + "'");
    }
    return new ColorHistogramEmbedder(8);
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public String weightsId() {
    return "none";
  }

  /** True: there is nothing to train; the vectors are what they claim to be. */
  @Override
  public boolean pretrained() {
    return true;
  }

  @Override
  public String preprocessing() {
    return "rgb" + bins + "-nowhite" + WHITE + "-sqrt";
  }

  @Override
  public int dimension() {
    return bins * bins * bins;
  }

  @Override
  public float[][] embed(List<BufferedImage> images) {
    float[][] out = new float[images.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = histogram(images.get(i));
    }
    return out;
  }

  private float[] histogram(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    double[] counts = new double[dimension()];
    int used = count(rgb, counts, true);
    if (used == 0) {
      count(rgb, counts, false);
    }
    float[] v = new float[counts.length];
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      double s = Math.sqrt(counts[i]);
      v[i] = (float) s;
      sum += s * s;
    }
    if (sum > 0) {
      float inv = (float) (1 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  private int count(int[] rgb, double[] counts, boolean skipWhite) {
    int used = 0;
    for (int p : rgb) {
      int r = (p >> 16) & 0xff;
      int g = (p >> 8) & 0xff;
      int b = p & 0xff;
      if (skipWhite && r >= WHITE && g >= WHITE && b >= WHITE) {
        continue;
      }
      int bin = ((r * bins) >> 8) * bins * bins + ((g * bins) >> 8) * bins + ((b * bins) >> 8);
      counts[bin]++;
      used++;
    }
    return used;
  }

  @Override
  public void close() {}
}
