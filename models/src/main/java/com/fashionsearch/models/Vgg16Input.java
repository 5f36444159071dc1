package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VGG16's input as the ImageNet weights expect it: 224x224, normalised as the weights were trained
 * ({@link Normalization}): by default exactly as DL4J's {@code NativeImageLoader} plus {@code
 * VGG16ImagePreProcessor} and Keras' {@code vgg16.preprocess_input} make it, channels in B, G, R
 * order, 0-255 values minus the per-channel means {@link #MEAN_BGR}; for torchvision's weights R,
 * G, B scaled to [0, 1], minus {@link #TORCH_MEAN_RGB}, divided by {@link #TORCH_STD_RGB}. The
 * square comes from a {@link ResizeMode}. Thread-safe (immutable).
 */
public final class Vgg16Input {
  /** The input side. */
  public static final int SIDE = 224;

  /** VGG16ImagePreProcessor's means, in B, G, R order. */
  public static final float[] MEAN_BGR = {103.939f, 116.779f, 123.68f};

  /** torchvision's ImageNet means of [0, 1] values, in R, G, B order. */
  public static final float[] TORCH_MEAN_RGB = {0.485f, 0.456f, 0.406f};

  /** torchvision's ImageNet standard deviations, in R, G, B order. */
  public static final float[] TORCH_STD_RGB = {0.229f, 0.224f, 0.225f};

  /** How pixel values become network inputs: the convention the weights were trained with. */
  public enum Normalization {
    /** Caffe, Keras and DL4J: B, G, R in 0-255 minus {@link #MEAN_BGR}. */
    BGR_VGG_MEAN("bgr-vggmean"),
    /**
     * torchvision: R, G, B scaled to [0, 1], minus {@link #TORCH_MEAN_RGB}, over {@link
     * #TORCH_STD_RGB}.
     */
    RGB_TORCH("rgb-torchnorm");

    private final String id;

    Normalization(String id) {
      this.id = id;
    }

    /** The id in the preprocessing id. */
    public String id() {
      return id;
    }

    /** Channel {@code c} (0, 1, 2 in the network's order) of a packed RGB pixel. */
    float channel(int rgb, int c) {
      if (this == BGR_VGG_MEAN) {
        return ((rgb >> (8 * c)) & 0xFF) - MEAN_BGR[c]; // c = 0 is blue, the low byte
      }
      return (((rgb >> (16 - 8 * c)) & 0xFF) / 255f - TORCH_MEAN_RGB[c]) / TORCH_STD_RGB[c];
    }
  }

  private final ResizeMode resize;
  private final Normalization normalization;

  /** The Caffe/Keras/DL4J normalization ({@link Normalization#BGR_VGG_MEAN}). */
  public Vgg16Input(ResizeMode resize) {
    this(resize, Normalization.BGR_VGG_MEAN);
  }

  public Vgg16Input(ResizeMode resize, Normalization normalization) {
    if (resize == null || normalization == null) {
      throw new IllegalArgumentException(
          "resize mode and normalization must not be null, got: " + resize + ", " + normalization);
    }
    this.resize = resize;
    this.normalization = normalization;
  }

  /** The normalization. */
  public Normalization normalization() {
    return normalization;
  }

  /** The resize mode. */
  public ResizeMode resize() {
    return resize;
  }

  /** The identity of this preprocessing, for the embedding cache's key. */
  public String id() {
    return resize.id() + "-224-" + normalization.id();
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
        data[base + p] = normalization.channel(c, 0);
        data[base + plane + p] = normalization.channel(c, 1);
        data[base + 2 * plane + p] = normalization.channel(c, 2);
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
        data[o] = normalization.channel(c, 0);
        data[o + 1] = normalization.channel(c, 1);
        data[o + 2] = normalization.channel(c, 2);
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
