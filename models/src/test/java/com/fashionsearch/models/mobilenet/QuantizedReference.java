package com.fashionsearch.models.mobilenet;

/**
 * TFLite's uint8 kernels written out in integer arithmetic, as the reference the float graph is
 * checked against: {@code acc = bias + sum (x - zx)(w - zw)} in int32, requantised to the output's
 * scale and zero point and clamped by the fused activation.
 */
final class QuantizedReference {
  private QuantizedReference() {}

  /** One uint8 operand: values in NHWC (activations) or the file's layout (weights). */
  record Operand(int[] values, int[] shape, double scale, int zeroPoint) {}

  /** Reads a constant or given uint8 tensor's quantisation into an {@link Operand}. */
  static Operand operand(TfliteSubGraph graph, int index, int[] values, int[] shape) {
    TfliteQuantization q = graph.tensor(index).quantization();
    return new Operand(values, shape, q.scale()[0], (int) q.zeroPoint()[0]);
  }

  static int[] uint8(java.nio.ByteBuffer data) {
    int[] out = new int[data.remaining()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Byte.toUnsignedInt(data.get(i));
    }
    return out;
  }

  static int[] int32(java.nio.ByteBuffer data) {
    int[] out = new int[data.remaining() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.getInt(4 * i);
    }
    return out;
  }

  /**
   * A convolution of {@code x} ({@code [1, H, W, C]}) with SAME padding as TF pads it (the odd
   * pixel after), for CONV_2D weights {@code [O, kh, kw, C]} or DEPTHWISE weights {@code [1, kh,
   * kw, C]}.
   *
   * @return the uint8 output {@code [1, OH, OW, O]}, values in {@code [qmin, qmax]}
   */
  static int[] conv(
      Operand x,
      Operand w,
      int[] bias,
      int stride,
      boolean depthwise,
      double outScale,
      int outZero,
      int qmin,
      int qmax,
      int[] outShape) {
    int h = x.shape()[1];
    int wd = x.shape()[2];
    int c = x.shape()[3];
    int kh = w.shape()[1];
    int kw = w.shape()[2];
    int o = depthwise ? w.shape()[3] : w.shape()[0];
    int oh = (h + stride - 1) / stride;
    int ow = (wd + stride - 1) / stride;
    int padTop = Math.max((oh - 1) * stride + kh - h, 0) / 2;
    int padLeft = Math.max((ow - 1) * stride + kw - wd, 0) / 2;
    double multiplier = x.scale() * w.scale() / outScale;
    int[] out = new int[oh * ow * o];
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        for (int oc = 0; oc < o; oc++) {
          long acc = bias[oc];
          for (int ky = 0; ky < kh; ky++) {
            int iy = oy * stride + ky - padTop;
            if (iy < 0 || iy >= h) {
              continue;
            }
            for (int kx = 0; kx < kw; kx++) {
              int ix = ox * stride + kx - padLeft;
              if (ix < 0 || ix >= wd) {
                continue;
              }
              int base = (iy * wd + ix) * c;
              if (depthwise) {
                int xv = x.values()[base + oc] - x.zeroPoint();
                int wv = w.values()[(ky * kw + kx) * o + oc] - w.zeroPoint();
                acc += (long) xv * wv;
              } else {
                int wBase = ((oc * kh + ky) * kw + kx) * c;
                for (int ic = 0; ic < c; ic++) {
                  acc +=
                      (long) (x.values()[base + ic] - x.zeroPoint())
                          * (w.values()[wBase + ic] - w.zeroPoint());
                }
              }
            }
          }
          long q = Math.round(acc * multiplier) + outZero;
          out[(oy * ow + ox) * o + oc] = (int) Math.max(qmin, Math.min(qmax, q));
        }
      }
    }
    outShape[0] = 1;
    outShape[1] = oh;
    outShape[2] = ow;
    outShape[3] = o;
    return out;
  }

  /** Per output channel, the L1 norm of the real weights: how far an input error can move it. */
  static double[] channelWeightL1(Operand w, boolean depthwise) {
    int o = depthwise ? w.shape()[3] : w.shape()[0];
    int per = w.values().length / o;
    double[] l1 = new double[o];
    for (int i = 0; i < w.values().length; i++) {
      int oc = depthwise ? i % o : i / per;
      l1[oc] += Math.abs(w.values()[i] - w.zeroPoint()) * w.scale();
    }
    return l1;
  }

  /** Quantises real values to uint8 with {@code scale} and {@code zeroPoint}. */
  static int[] quantize(float[] real, double scale, int zeroPoint) {
    int[] q = new int[real.length];
    for (int i = 0; i < real.length; i++) {
      q[i] = (int) Math.max(0, Math.min(255, Math.round(real[i] / scale) + zeroPoint));
    }
    return q;
  }
}
