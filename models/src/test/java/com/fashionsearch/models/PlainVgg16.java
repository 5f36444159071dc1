package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;

/**
 * VGG16 written out in plain Java floats, as Keras defines it, to check the product's networks
 * against: input 224x224, channels B, G, R minus the ImageNet means; 3x3 convolutions with "same"
 * padding, bias and ReLU on (H, W, C) maps with kernels (3, 3, in, out); 2x2 max pooling; flatten
 * in (H, W, C) order; dense layers with kernels (in, out), bias and ReLU. It reads the Keras-layout
 * arrays of {@link KerasWeightsFixture} directly and shares no code with the product's networks.
 */
final class PlainVgg16 {
  private static final float[] MEAN_BGR = {103.939f, 116.779f, 123.68f};

  private final List<KerasWeightsFixture.Layer> weights;

  PlainVgg16(List<KerasWeightsFixture.Layer> weights) {
    this.weights = weights;
  }

  /** Keras' VGG16 preprocessing of the 224x224 square: (H, W, C) with C = B, G, R minus means. */
  static float[] input(BufferedImage square) {
    int side = 224;
    if (square.getWidth() != side || square.getHeight() != side) {
      throw new IllegalArgumentException(
          "expected a 224x224 square, got " + square.getWidth() + "x" + square.getHeight());
    }
    float[] x = new float[side * side * 3];
    for (int y = 0; y < side; y++) {
      for (int c = 0; c < side; c++) {
        int rgb = square.getRGB(c, y);
        int o = (y * side + c) * 3;
        x[o] = (rgb & 0xFF) - MEAN_BGR[0];
        x[o + 1] = ((rgb >> 8) & 0xFF) - MEAN_BGR[1];
        x[o + 2] = ((rgb >> 16) & 0xFF) - MEAN_BGR[2];
      }
    }
    return x;
  }

  /** The 7x7x512 map after block5_pool, in (H, W, C) order. */
  float[] pool5(float[] input) {
    float[] x = input;
    int side = 224;
    int channels = 3;
    int block = 1;
    for (Vgg16Graph.Conv conv : Vgg16Graph.CONVS) {
      int b = conv.name().charAt(5) - '0';
      if (b != block) {
        x = maxPool(x, side, channels);
        side /= 2;
        block = b;
      }
      x =
          conv(
              x,
              side,
              channels,
              conv.out(),
              value(conv.name(), "kernel"),
              value(conv.name(), "bias"));
      channels = conv.out();
    }
    return maxPool(x, side, channels);
  }

  /** fc2 after its ReLU, from the pool5 map. */
  float[] fc2(float[] pool5) {
    float[] fc1 = dense(pool5, value("fc1", "kernel"), value("fc1", "bias"));
    return dense(fc1, value("fc2", "kernel"), value("fc2", "bias"));
  }

  private float[] value(String layer, String weight) {
    return KerasWeightsFixture.values(weights, layer, weight);
  }

  private static float[] conv(
      float[] in, int side, int cin, int cout, float[] kernel, float[] bias) {
    float[] out = new float[side * side * cout];
    IntStream.range(0, side)
        .parallel()
        .forEach(
            y -> {
              float[] acc = new float[cout];
              for (int x = 0; x < side; x++) {
                System.arraycopy(bias, 0, acc, 0, cout);
                for (int ky = 0; ky < 3; ky++) {
                  int iy = y + ky - 1;
                  if (iy < 0 || iy >= side) {
                    continue;
                  }
                  for (int kx = 0; kx < 3; kx++) {
                    int ix = x + kx - 1;
                    if (ix < 0 || ix >= side) {
                      continue;
                    }
                    int inOff = (iy * side + ix) * cin;
                    int kOff = (ky * 3 + kx) * cin * cout;
                    for (int ci = 0; ci < cin; ci++) {
                      float v = in[inOff + ci];
                      if (v == 0) {
                        continue;
                      }
                      int k = kOff + ci * cout;
                      for (int co = 0; co < cout; co++) {
                        acc[co] += v * kernel[k + co];
                      }
                    }
                  }
                }
                int o = (y * side + x) * cout;
                for (int co = 0; co < cout; co++) {
                  out[o + co] = Math.max(acc[co], 0f);
                }
              }
            });
    return out;
  }

  private static float[] maxPool(float[] in, int side, int channels) {
    int half = side / 2;
    float[] out = new float[half * half * channels];
    for (int y = 0; y < half; y++) {
      for (int x = 0; x < half; x++) {
        for (int c = 0; c < channels; c++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
              m = Math.max(m, in[((2 * y + dy) * side + 2 * x + dx) * channels + c]);
            }
          }
          out[(y * half + x) * channels + c] = m;
        }
      }
    }
    return out;
  }

  private static float[] dense(float[] in, float[] kernel, float[] bias) {
    int nOut = bias.length;
    double[] acc = new double[nOut];
    for (int i = 0; i < in.length; i++) {
      float v = in[i];
      if (v == 0) {
        continue;
      }
      int k = i * nOut;
      for (int j = 0; j < nOut; j++) {
        acc[j] += v * kernel[k + j];
      }
    }
    float[] out = new float[nOut];
    for (int j = 0; j < nOut; j++) {
      out[j] = (float) Math.max(acc[j] + bias[j], 0);
    }
    return out;
  }
}
