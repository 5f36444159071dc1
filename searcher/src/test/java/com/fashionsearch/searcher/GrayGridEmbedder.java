package com.fashionsearch.searcher;

import com.fashionsearch.models.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap deterministic embedder for the backend contract and SolrCloud tests, of VGG16's
 * dimension: the mean brightness of a 64x64 grid of cells, centred on the image's own mean and
 * L2-normalised (4096 dimensions). It can fail after a given number of batches, to stand in for a
 * run killed mid-way. Not thread-safe.
 */
public final class GrayGridEmbedder implements ImageEmbedder {
  public static final int SIDE = 64;
  public static final int DIMENSION = SIDE * SIDE;

  private final int failAfterBatches;
  public final AtomicInteger images = new AtomicInteger();
  private int batches;

  public GrayGridEmbedder() {
    this(Integer.MAX_VALUE);
  }

  /** An embedder that throws on its batch number {@code failAfterBatches} (0-based). */
  public GrayGridEmbedder(int failAfterBatches) {
    this.failAfterBatches = failAfterBatches;
  }

  @Override
  public String modelId() {
    return "gray-grid";
  }

  @Override
  public String weightsId() {
    return "none";
  }

  @Override
  public boolean pretrained() {
    return true;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[][] embed(List<BufferedImage> batch) {
    if (batches++ >= failAfterBatches) {
      throw new IllegalStateException(
          "test embedder told to fail after " + failAfterBatches + " batches");
    }
    float[][] out = new float[batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      out[i] = embed(batch.get(i));
    }
    images.addAndGet(batch.size());
    return out;
  }

  /** The vector of one image. */
  public static float[] embed(BufferedImage image) {
    double[] sum = new double[DIMENSION];
    int[] n = new int[DIMENSION];
    int w = image.getWidth();
    int h = image.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int cell = (int) ((long) y * SIDE / h) * SIDE + (int) ((long) x * SIDE / w);
        int rgb = image.getRGB(x, y);
        sum[cell] += (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3.0;
        n[cell]++;
      }
    }
    double mean = 0;
    for (int i = 0; i < DIMENSION; i++) {
      sum[i] = n[i] == 0 ? 0 : sum[i] / n[i];
      mean += sum[i] / DIMENSION;
    }
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) (sum[i] - mean);
      norm += (double) v[i] * v[i];
    }
    if (norm == 0) {
      v[0] = 1f;
      return v;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < DIMENSION; i++) {
      v[i] *= scale;
    }
    return v;
  }

  @Override
  public void close() {}
}
