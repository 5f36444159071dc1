package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VGG16's input as the ImageNet weights expect it, exactly as DL4J's {@code NativeImageLoader} plus
 * {@code VGG16ImagePreProcessor} make it: 224x224, channels in B, G, R order, 0-255 values minus the
 * per-channel means {@link #MEAN_BGR}. The square comes from a {@link ResizeMode}. Thread-safe
 * (immutable).
 */
public final class Vgg16Input {
  /** The input side. */
  public static final int SIDE = 224;

  /** VGG16ImagePreProcessor's means, in B, G, R order. */
  public static final float[] MEAN_BGR = {103.939f, 116.779f, 123.68f};

  private final ResizeMode resize;

  public Vgg16Input(ResizeMode resize) {
    if (resize == null) {
      throw new IllegalArgumentException("resize mode must not be null");
    }
    this.resize = resize;
  }

  /** The resize mode. */
  public ResizeMode resize() {
    return resize;
  }

  /** The identity of this preprocessing, for the embedding cache's key. */
  public String id() {
    return resize.id() + "-224-bgr-vggmean";
  }

  /** A batch as {@code [N, 3, 224, 224]} (NCHW), the layout of DL4J's graph. */
  public INDArray nchw(List<BufferedImage> images) {
    int n = images.size();
    int plane = SIDE * SIDE;
    float[] data = new float[n * 3 * plane];
    for (int i = 0; i < n; i++) {
      int[] rgb = pixels(images.get(i));
      int base = i * 3 * plane;
      for (int p = 0; p < plane; p++) {
        int c = rgb[p];
        data[base + p] = (c & 0xFF) - MEAN_BGR[0];
        data[base + plane + p] = ((c >> 8) & 0xFF) - MEAN_BGR[1];
        data[base + 2 * plane + p] = ((c >> 16) & 0xFF) - MEAN_BGR[2];
      }
    }
    return Nd4j.create(data, new long[] {n, 3, SIDE, SIDE}, DataType.FLOAT);
  }

  /** A batch as {@code [N, 224, 224, 3]} (NHWC), the layout of the direct engine. */
  public INDArray nhwc(List<BufferedImage> images) {
    int n = images.size();
    int plane = SIDE * SIDE;
    float[] data = new float[n * 3 * plane];
    for (int i = 0; i < n; i++) {
      int[] rgb = pixels(images.get(i));
      int base = i * 3 * plane;
      for (int p = 0; p < plane; p++) {
        int c = rgb[p];
        int o = base + 3 * p;
        data[o] = (c & 0xFF) - MEAN_BGR[0];
        data[o + 1] = ((c >> 8) & 0xFF) - MEAN_BGR[1];
        data[o + 2] = ((c >> 16) & 0xFF) - MEAN_BGR[2];
      }
    }
    return Nd4j.create(data, new long[] {n, SIDE, SIDE, 3}, DataType.FLOAT);
  }

  /** The 224x224 square's packed RGB pixels, row by row. */
  int[] pixels(BufferedImage image) {
    if (image == null) {
      throw new IllegalArgumentException("image must not be null");
    }
    BufferedImage square = resize.toSquare(image, SIDE);
    return square.getRGB(0, 0, SIDE, SIDE, null, 0, SIDE);
  }
}
