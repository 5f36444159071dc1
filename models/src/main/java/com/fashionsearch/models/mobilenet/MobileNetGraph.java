package com.fashionsearch.models.mobilenet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A TFLite MobileNet compiled to float layers: every operator of the file's first subgraph in order
 * (CONV_2D, DEPTHWISE_CONV_2D with the file's strides and SAME/VALID padding, fused ReLU6,
 * AVERAGE_POOL_2D, ADD, RESHAPE, SQUEEZE, SOFTMAX), with weights and biases dequantised. Each
 * convolution's and addition's output is clamped to the range its uint8 output can represent, as
 * the quantised network does. Activations are NHWC; tensor {@code i} of the file is {@link
 * #variableName(int) t<i>}.
 *
 * <p>Convolutions run as GEMMs on OpenBLAS, called on the Java arrays: a 1x1 convolution is one
 * matrix product of the NHWC activations, a larger one goes through im2col. Depthwise convolutions,
 * pooling and additions run in Java over rows in parallel, the inner loops on the vector API
 * ({@link Kernels}): measured in docs/benchmarks-history.md, "MobileNet and retrieval quality",
 * "Speed": libnd4j's {@code depthwise_conv2d} was ~40x slower than a Java loop and made a SameDiff
 * graph of the network ~4x slower overall; "MobileNet inference without ND4J copies": copying every
 * activation into and out of ND4J buffers and scalar loops had cost 4-5x.
 *
 * <p>Not thread-safe: give it one owner (it holds no per-call state, but is not designed for
 * concurrent calls).
 */
public final class MobileNetGraph implements AutoCloseable {
  private final List<Layer> layers;
  private final int inputTensor;
  private final int side;
  private final float inputScale;
  private final int inputZeroPoint;
  private final int featureMap;
  private final int pooled;
  private final int logits;
  private final int midFeatureMap;
  private final Map<String, Integer> tensorsByName;

  private MobileNetGraph(
      List<Layer> layers,
      int inputTensor,
      int side,
      float inputScale,
      int inputZeroPoint,
      int featureMap,
      int pooled,
      int logits,
      int midFeatureMap,
      Map<String, Integer> tensorsByName) {
    this.tensorsByName = tensorsByName;
    this.layers = layers;
    this.inputTensor = inputTensor;
    this.side = side;
    this.inputScale = inputScale;
    this.inputZeroPoint = inputZeroPoint;
    this.featureMap = featureMap;
    this.pooled = pooled;
    this.logits = logits;
    this.midFeatureMap = midFeatureMap;
  }

  /** The name of tensor {@code index} of the file in {@link #run}. */
  public static String variableName(int index) {
    return "t" + index;
  }

  /**
   * Compiles {@code model}'s first subgraph.
   *
   * @throws IllegalArgumentException for an operator or layout this builder does not support,
   *     naming it
   */
  public static MobileNetGraph build(TfliteModel model) {
    if (model.subgraphsLength() < 1) {
      throw new IllegalArgumentException("TFLite model has no subgraph");
    }
    TfliteSubGraph graph = model.subgraph(0);
    int[] inputs = graph.inputs();
    if (inputs.length != 1) {
      throw new IllegalArgumentException(
          "expected one input tensor, the file has " + inputs.length);
    }
    TfliteTensor in = graph.tensor(inputs[0]);
    int[] inShape = in.shape();
    if (inShape.length != 4 || inShape[1] != inShape[2] || inShape[3] != 3) {
      throw new IllegalArgumentException(
          "expected a square NHWC RGB input, the file's input has shape "
              + Arrays.toString(inShape));
    }
    float inScale = 1f;
    int inZero = 0;
    TfliteQuantization inQ = in.quantization();
    if (in.type() == TfliteTensor.UINT8 && inQ != null && inQ.scale().length == 1) {
      inScale = inQ.scale()[0];
      inZero = (int) inQ.zeroPoint()[0];
    } else if (in.type() != TfliteTensor.FLOAT32) {
      throw new IllegalArgumentException(
          "unsupported input type " + TfliteTensor.typeName(in.type()) + " without one scale");
    }

    TensorShapes shapes = TensorShapes.infer(model, graph);
    List<Layer> layers = new ArrayList<>();
    int featureMap = -1;
    int pooled = -1;
    int logits = -1;
    for (int i = 0; i < graph.operatorsLength(); i++) {
      TfliteOperator op = graph.operator(i);
      int code = model.operatorCode(op.opcodeIndex()).builtinCode();
      int[] opIn = op.inputs();
      int out = op.outputs()[0];
      int[] outShape = shapes.shape(out);
      Layer layer =
          switch (code) {
            case TfliteOperatorCode.CONV_2D -> conv(model, graph, op, out);
            case TfliteOperatorCode.DEPTHWISE_CONV_2D -> depthwise(model, graph, shapes, op, out);
            case TfliteOperatorCode.AVERAGE_POOL_2D -> {
              int[] inShape2 = shapes.shape(opIn[0]);
              // the pooling of a spatial map (v3 pools its 1x1 head once more: not a feature map)
              if (pooled < 0 || inShape2[1] > 1) {
                featureMap = opIn[0];
                pooled = out;
              }
              TflitePoolOptions p = op.poolOptions();
              if (p.padding() != TfliteConvOptions.PADDING_VALID
                  || p.filterHeight() != inShape2[1]
                  || p.filterWidth() != inShape2[2]) {
                throw new IllegalArgumentException(
                    "operator "
                        + i
                        + ": only global average pooling (VALID, filter = input) is"
                        + " supported, got filter "
                        + p.filterHeight()
                        + "x"
                        + p.filterWidth()
                        + " on "
                        + Arrays.toString(inShape2));
              }
              yield new GlobalAveragePool(opIn[0], out);
            }
            case TfliteOperatorCode.ADD -> {
              Clamp clamp = Clamp.of(op.addActivation(), graph.tensor(out));
              yield new Add(opIn[0], opIn[1], out, clamp);
            }
            case TfliteOperatorCode.RESHAPE, TfliteOperatorCode.SQUEEZE ->
                new Reshape(opIn[0], out, outShape);
            case TfliteOperatorCode.SOFTMAX -> {
              logits = opIn[0];
              yield new Softmax(opIn[0], out);
            }
            default ->
                throw new IllegalArgumentException(
                    "operator " + i + " has unsupported builtin code " + code);
          };
      layers.add(layer);
    }
    if (pooled < 0) {
      throw new IllegalArgumentException("the file has no AVERAGE_POOL_2D: not a MobileNet");
    }
    // the last convolution output at twice the final feature map's resolution
    int finalSide = shapes.shape(featureMap)[1];
    int mid = -1;
    for (Layer layer : layers) {
      if (layer instanceof Conv && shapes.shape(layer.output())[1] == 2 * finalSide) {
        mid = layer.output();
      }
    }
    Map<String, Integer> byName = new HashMap<>();
    for (int t = 0; t < graph.tensorsLength(); t++) {
      String name = graph.tensor(t).name();
      if (name != null) {
        // the MLIR converter joins the names of fused nodes with ';': the first is the output's
        byName.putIfAbsent(name, t);
        byName.putIfAbsent(name.split(";", 2)[0], t);
      }
    }
    return new MobileNetGraph(
        List.copyOf(layers),
        inputs[0],
        inShape[1],
        inScale,
        inZero,
        featureMap,
        pooled,
        logits,
        mid,
        Map.copyOf(byName));
  }

  private static Layer conv(TfliteModel model, TfliteSubGraph graph, TfliteOperator op, int out) {
    int[] in = op.inputs();
    TfliteConvOptions o = op.convOptions();
    requireUndilated(o, out);
    DequantizedTensor w = DequantizedTensor.of(model, graph, in[1]);
    int[] s = w.shape(); // [O, kh, kw, C]
    int outChannels = s[0];
    int k = s[1] * s[2] * s[3];
    // GEMM weights [kh*kw*C, O]: row (ky*kw + kx)*C + c, matching im2col's column order
    float[] gemm = new float[k * outChannels];
    for (int oc = 0; oc < outChannels; oc++) {
      for (int r = 0; r < k; r++) {
        gemm[r * outChannels + oc] = w.values()[oc * k + r];
      }
    }
    return new Conv(
        in[0],
        out,
        gemm,
        bias(model, graph, in, outChannels),
        Window.of(s, o),
        Clamp.of(o.fusedActivation(), graph.tensor(out)));
  }

  private static Layer depthwise(
      TfliteModel model, TfliteSubGraph graph, TensorShapes shapes, TfliteOperator op, int out) {
    int[] in = op.inputs();
    TfliteConvOptions o = op.convOptions();
    requireUndilated(o, out);
    DequantizedTensor w = DequantizedTensor.of(model, graph, in[1]);
    int[] s = w.shape(); // [1, kh, kw, C*M]
    int inChannels = shapes.shape(in[0])[3];
    if (s[3] != inChannels) {
      throw new IllegalArgumentException(
          "depthwise convolution with channel multiplier "
              + s[3] / inChannels
              + " on tensor "
              + out
              + " is not supported (only 1)");
    }
    return new Depthwise(
        in[0],
        out,
        w.values(),
        bias(model, graph, in, inChannels),
        Window.of(s, o),
        Clamp.of(o.fusedActivation(), graph.tensor(out)));
  }

  private static float[] bias(TfliteModel model, TfliteSubGraph graph, int[] in, int channels) {
    if (in.length > 2 && in[2] >= 0) {
      return DequantizedTensor.ofBias(model, graph, in[2], in[0], in[1]).values();
    }
    return new float[channels];
  }

  private static void requireUndilated(TfliteConvOptions o, int out) {
    if (o.dilationH() != 1 || o.dilationW() != 1) {
      throw new IllegalArgumentException(
          "dilated convolution writing tensor " + out + " is not supported");
    }
  }

  /** The input side in pixels (224). */
  public int inputSide() {
    return side;
  }

  /**
   * The real value of input byte {@code v}: {@code scale * (v - zero_point)} as the file declares.
   */
  public float inputValue(int v) {
    return inputScale * (v - inputZeroPoint);
  }

  /** The name of the last feature map before global pooling, NHWC. */
  public String featureMap() {
    return variableName(featureMap);
  }

  /**
   * The name of the last convolution output at twice the final feature map's resolution (v1: the
   * 14x14x512 output of block 11), or {@code null} when there is none.
   */
  public String midFeatureMap() {
    return midFeatureMap < 0 ? null : variableName(midFeatureMap);
  }

  /**
   * The variable name in {@link #run} of the tensor the file names {@code tensorName} (the whole
   * name, or the first of the {@code ;}-joined names the MLIR converter gives a fused output).
   *
   * @throws IllegalArgumentException if no tensor has that name
   */
  public String tensorNamed(String tensorName) {
    Integer index = tensorsByName.get(tensorName);
    if (index == null) {
      throw new IllegalArgumentException("the file has no tensor named '" + tensorName + "'");
    }
    return variableName(index);
  }

  /**
   * The name of the globally pooled features, {@code [N, 1, 1, C]}: the output of the last average
   * pooling over a spatial map.
   */
  public String pooled() {
    return variableName(pooled);
  }

  /** The name of the classifier's logits (the softmax input), or {@code null} without one. */
  public String logits() {
    return logits < 0 ? null : variableName(logits);
  }

  /**
   * Runs the network up to the last requested tensor.
   *
   * @param input NHWC float input {@code [N, side, side, 3]} of real values (see {@link
   *     #inputValue})
   * @param outputs the tensors to return, by {@link #variableName(int)}
   * @throws IllegalArgumentException for an input of the wrong shape or an unknown output name
   */
  public Map<String, INDArray> run(INDArray input, String... outputs) {
    long[] shape = input.shape();
    if (shape.length != 4 || shape[1] != side || shape[2] != side || shape[3] != 3) {
      throw new IllegalArgumentException(
          "input must be [N, " + side + ", " + side + ", 3], got " + Arrays.toString(shape));
    }
    Map<Integer, Activation> values = new HashMap<>();
    values.put(
        inputTensor,
        new Activation(input.dup('c').data().asFloat(), new int[] {(int) shape[0], side, side, 3}));
    Map<String, INDArray> result = new HashMap<>();
    List<String> wanted = new ArrayList<>(List.of(outputs));
    if (values.containsKey(inputTensor) && wanted.remove(variableName(inputTensor))) {
      result.put(variableName(inputTensor), input.dup());
    }
    for (Layer layer : layers) {
      if (wanted.isEmpty()) {
        break;
      }
      Activation a = layer.apply(values);
      values.put(layer.output(), a);
      String name = variableName(layer.output());
      if (wanted.remove(name)) {
        long[] s = Arrays.stream(a.shape()).asLongStream().toArray();
        result.put(name, Nd4j.create(a.data(), s, 'c'));
      }
    }
    if (!wanted.isEmpty()) {
      throw new IllegalArgumentException("no such tensors in the graph: " + wanted);
    }
    return result;
  }

  @Override
  public void close() {
    // every weight is on the Java heap
  }

  /** An activation: NHWC data and its shape. */
  record Activation(float[] data, int[] shape) {}

  /** One operator. */
  sealed interface Layer permits Conv, Depthwise, GlobalAveragePool, Add, Reshape, Softmax {
    int output();

    Activation apply(Map<Integer, Activation> values);
  }

  /** The fused activation and the output's uint8 range, as one clamp. */
  record Clamp(float lo, float hi) {
    static Clamp of(int activation, TfliteTensor out) {
      double lo = Double.NEGATIVE_INFINITY;
      double hi = Double.POSITIVE_INFINITY;
      switch (activation) {
        case TfliteConvOptions.ACTIVATION_NONE -> {}
        case TfliteConvOptions.ACTIVATION_RELU -> lo = 0;
        case TfliteConvOptions.ACTIVATION_RELU6 -> {
          lo = 0;
          hi = 6;
        }
        default ->
            throw new IllegalArgumentException(
                "unsupported fused activation " + activation + " on " + out.name());
      }
      TfliteQuantization q = out.quantization();
      if (out.type() == TfliteTensor.UINT8 && q != null && q.scale().length == 1) {
        double scale = q.scale()[0];
        long zero = q.zeroPoint()[0];
        lo = Math.max(lo, scale * (0 - zero));
        hi = Math.min(hi, scale * (255 - zero));
      }
      return new Clamp((float) lo, (float) hi);
    }

    float apply(float v) {
      return v < lo ? lo : (v > hi ? hi : v);
    }

    void applyInPlace(float[] values) {
      applyInPlace(values, 0, values.length);
    }

    void applyInPlace(float[] values, int from, int length) {
      Kernels.clamp(values, from, length, lo, hi);
    }
  }

  /** A convolution's kernel size, strides and padding (TF's SAME or VALID). */
  record Window(int kh, int kw, int sh, int sw, boolean same) {
    /** From a kernel of shape {@code [*, kh, kw, *]} and the operator's options. */
    static Window of(int[] kernelShape, TfliteConvOptions o) {
      return new Window(
          kernelShape[1],
          kernelShape[2],
          o.strideH(),
          o.strideW(),
          o.padding() == TfliteConvOptions.PADDING_SAME);
    }

    int outHeight(int h) {
      return outSize(h, kh, sh);
    }

    int outWidth(int w) {
      return outSize(w, kw, sw);
    }

    /** Rows of padding above the input: TF's SAME puts the odd one below. */
    int padTop(int h) {
      return padBefore(h, outHeight(h), kh, sh);
    }

    /** Columns of padding left of the input: TF's SAME puts the odd one on the right. */
    int padLeft(int w) {
      return padBefore(w, outWidth(w), kw, sw);
    }

    private int outSize(int in, int k, int stride) {
      return same ? (in + stride - 1) / stride : (in - k) / stride + 1;
    }

    private int padBefore(int in, int out, int k, int stride) {
      return same ? Math.max((out - 1) * stride + k - in, 0) / 2 : 0;
    }
  }

  /**
   * A convolution as im2col (unless 1x1 stride 1) and one single-precision GEMM on OpenBLAS, called
   * on the Java arrays (no copy through ND4J buffers); the bias is the GEMM's initial value.
   * Weights {@code [kh*kw*C, O]}, row-major.
   */
  record Conv(int input, int output, float[] weights, float[] bias, Window window, Clamp clamp)
      implements Layer {
    @Override
    public Activation apply(Map<Integer, Activation> values) {
      Activation x = values.get(input);
      int n = x.shape()[0];
      int h = x.shape()[1];
      int w = x.shape()[2];
      int c = x.shape()[3];
      int kh = window.kh();
      int kw = window.kw();
      int sh = window.sh();
      int sw = window.sw();
      int oh = window.outHeight(h);
      int ow = window.outWidth(w);
      int k = kh * kw * c;
      float[] cols;
      if (kh == 1 && kw == 1 && sh == 1 && sw == 1) {
        cols = x.data();
      } else {
        cols = new float[n * oh * ow * k];
        int pt = window.padTop(h);
        int pl = window.padLeft(w);
        float[] src = x.data();
        IntStream.range(0, n * oh)
            .parallel()
            .forEach(
                row -> {
                  int b = row / oh;
                  int oy = row % oh;
                  for (int ox = 0; ox < ow; ox++) {
                    int dst = ((b * oh + oy) * ow + ox) * k;
                    for (int ky = 0; ky < kh; ky++) {
                      int iy = oy * sh + ky - pt;
                      for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw + kx - pl;
                        int d = dst + (ky * kw + kx) * c;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                          System.arraycopy(src, ((b * h + iy) * w + ix) * c, cols, d, c);
                        }
                      }
                    }
                  }
                });
      }
      int o = bias.length;
      int rows = n * oh * ow;
      float[] out = new float[rows * o];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(bias, 0, out, r * o, o);
      }
      openblas_nolapack.cblas_sgemm(
          openblas_nolapack.CblasRowMajor,
          openblas_nolapack.CblasNoTrans,
          openblas_nolapack.CblasNoTrans,
          rows,
          o,
          k,
          1f,
          cols,
          k,
          weights,
          o,
          1f,
          out,
          o);
      clamp.applyInPlace(out);
      return new Activation(out, new int[] {n, oh, ow, o});
    }
  }

  /**
   * A depthwise convolution (channel multiplier 1), in Java: each output row accumulates its
   * kernel's taps a whole row of channels at a time ({@link Kernels#multiplyAdd}). Weights {@code
   * [kh, kw, C]}.
   */
  record Depthwise(int input, int output, float[] weights, float[] bias, Window window, Clamp clamp)
      implements Layer {
    @Override
    public Activation apply(Map<Integer, Activation> values) {
      Activation x = values.get(input);
      int n = x.shape()[0];
      int h = x.shape()[1];
      int w = x.shape()[2];
      int c = x.shape()[3];
      int kh = window.kh();
      int kw = window.kw();
      int sh = window.sh();
      int sw = window.sw();
      int oh = window.outHeight(h);
      int ow = window.outWidth(w);
      int pt = window.padTop(h);
      int pl = window.padLeft(w);
      float[] src = x.data();
      float[] out = new float[n * oh * ow * c];
      IntStream.range(0, n * oh)
          .parallel()
          .forEach(
              row -> {
                int b = row / oh;
                int oy = row % oh;
                int rowStart = row * ow * c;
                for (int ox = 0; ox < ow; ox++) {
                  System.arraycopy(bias, 0, out, rowStart + ox * c, c);
                }
                for (int ky = 0; ky < kh; ky++) {
                  int iy = oy * sh + ky - pt;
                  if (iy < 0 || iy >= h) {
                    continue;
                  }
                  int srcRow = (b * h + iy) * w * c;
                  for (int kx = 0; kx < kw; kx++) {
                    int wo = (ky * kw + kx) * c;
                    for (int ox = 0; ox < ow; ox++) {
                      int ix = ox * sw + kx - pl;
                      if (ix >= 0 && ix < w) {
                        Kernels.multiplyAdd(
                            out, rowStart + ox * c, src, srcRow + ix * c, weights, wo, c);
                      }
                    }
                  }
                }
                clamp.applyInPlace(out, rowStart, ow * c);
              });
      return new Activation(out, new int[] {n, oh, ow, c});
    }
  }

  /** Average over all positions: {@code [N, H, W, C]} to {@code [N, 1, 1, C]}. */
  record GlobalAveragePool(int input, int output) implements Layer {
    @Override
    public Activation apply(Map<Integer, Activation> values) {
      Activation x = values.get(input);
      int n = x.shape()[0];
      int positions = x.shape()[1] * x.shape()[2];
      int c = x.shape()[3];
      float[] out = new float[n * c];
      for (int b = 0; b < n; b++) {
        double[] sum = new double[c];
        for (int p = 0; p < positions; p++) {
          int off = (b * positions + p) * c;
          for (int ch = 0; ch < c; ch++) {
            sum[ch] += x.data()[off + ch];
          }
        }
        for (int ch = 0; ch < c; ch++) {
          out[b * c + ch] = (float) (sum[ch] / positions);
        }
      }
      return new Activation(out, new int[] {n, 1, 1, c});
    }
  }

  /** Element-wise sum of two tensors of one shape (the v2 residuals). */
  record Add(int left, int right, int output, Clamp clamp) implements Layer {
    @Override
    public Activation apply(Map<Integer, Activation> values) {
      Activation a = values.get(left);
      Activation b = values.get(right);
      if (!Arrays.equals(a.shape(), b.shape())) {
        throw new IllegalStateException(
            "ADD of shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
      }
      float[] out = new float[a.data().length];
      for (int i = 0; i < out.length; i++) {
        out[i] = clamp.apply(a.data()[i] + b.data()[i]);
      }
      return new Activation(out, a.shape().clone());
    }
  }

  /** RESHAPE or SQUEEZE to the file's output shape, with the batch size in front. */
  record Reshape(int input, int output, int[] target) implements Layer {
    @Override
    public Activation apply(Map<Integer, Activation> values) {
      Activation x = values.get(input);
      int[] shape = target.clone();
      shape[0] = x.shape()[0];
      return new Activation(x.data(), shape);
    }
  }

  /** Softmax over the last dimension. */
  record Softmax(int input, int output) implements Layer {
    @Override
    public Activation apply(Map<Integer, Activation> values) {
      Activation x = values.get(input);
      int classes = x.shape()[x.shape().length - 1];
      float[] out = new float[x.data().length];
      for (int start = 0; start < out.length; start += classes) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
          max = Math.max(max, x.data()[start + i]);
        }
        double sum = 0;
        for (int i = 0; i < classes; i++) {
          sum += Math.exp(x.data()[start + i] - max);
        }
        for (int i = 0; i < classes; i++) {
          out[start + i] = (float) (Math.exp(x.data()[start + i] - max) / sum);
        }
      }
      return new Activation(out, x.shape().clone());
    }
  }
}
