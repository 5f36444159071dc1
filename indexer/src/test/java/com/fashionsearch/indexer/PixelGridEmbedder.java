package com.fashionsearch.indexer;

import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.UnitLength;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A cheap deterministic embedder for indexer tests: mean colour of a 4x4 grid of cells plus a
 * constant, L2-normalised (49 dimensions). Optionally slow, to give a test time to kill a run, or
 * followed by intermediate features for a learned projection ({@link #withFeaturesBehind()}: the
 * grid's squared values, each part unit length and weighted equally, 98 dimensions of which the
 * first 49 are the visual part).
 */
final class PixelGridEmbedder implements ImageEmbedder {
  static final int DIMENSION = 49;

  private final long sleepPerBatchMillis;
  private final Runnable afterBatch;
  private final boolean featuresBehind;
  int batches;
  int images;

  PixelGridEmbedder() {
    this(0, () -> {});
  }

  PixelGridEmbedder(long sleepPerBatchMillis, Runnable afterBatch) {
    this(sleepPerBatchMillis, afterBatch, false);
  }

  private PixelGridEmbedder(long sleepPerBatchMillis, Runnable afterBatch, boolean featuresBehind) {
    this.sleepPerBatchMillis = sleepPerBatchMillis;
    this.afterBatch = afterBatch;
    this.featuresBehind = featuresBehind;
  }

  /** The grid followed by its squared values: features behind a 49-d visual part. */
  static PixelGridEmbedder withFeaturesBehind() {
    return new PixelGridEmbedder(0, () -> {}, true);
  }

  @Override
  public String modelId() {
    return "pixel-grid";
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
  public String preprocessing() {
    return featuresBehind ? "squares-behind" : ImageEmbedder.super.preprocessing();
  }

  @Override
  public int dimension() {
    return featuresBehind ? 2 * DIMENSION : DIMENSION;
  }

  @Override
  public int visualDimension() {
    return DIMENSION;
  }

  @Override
  public float[][] embed(List<BufferedImage> batch) {
    float[][] out = new float[batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      out[i] = featuresBehind ? withSquares(embed(batch.get(i))) : embed(batch.get(i));
    }
    batches++;
    images += batch.size();
    if (sleepPerBatchMillis > 0) {
      try {
        Thread.sleep(sleepPerBatchMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    afterBatch.run();
    return out;
  }

  private static float[] embed(BufferedImage image) {
    float[] v = new float[DIMENSION];
    int w = image.getWidth();
    int h = image.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int cell = (y * 4 / h) * 4 + (x * 4 / w);
        int rgb = image.getRGB(x, y);
        v[cell * 3] += (rgb >> 16) & 0xFF;
        v[cell * 3 + 1] += (rgb >> 8) & 0xFF;
        v[cell * 3 + 2] += rgb & 0xFF;
      }
    }
    v[48] = 255f * w * h / 16;
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }

  private static float[] withSquares(float[] grid) {
    float[] squares = new float[grid.length];
    for (int j = 0; j < grid.length; j++) {
      squares[j] = grid[j] * grid[j];
    }
    UnitLength.normalise(squares);
    float[] out = new float[2 * grid.length];
    for (int j = 0; j < grid.length; j++) {
      out[j] = (float) (grid[j] / Math.sqrt(2));
      out[grid.length + j] = (float) (squares[j] / Math.sqrt(2));
    }
    return out;
  }

  @Override
  public void close() {}
}
