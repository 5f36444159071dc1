package com.fashionsearch.models.inception;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J convolutional {@link ComputationGraph} (NHWC, as the Keras import builds it) compiled to
 * float layers that run one image at a time: each convolution with the batch normalisation and ReLU
 * that follow it folded in runs as im2col and one GEMM on ND4J (OpenBLAS), pooling and
 * concatenation in Java. The same topology, parameters and padding rules as the DL4J graph ({@code
 * Same}: TensorFlow's SAME, the odd pixel after; average pooling does not count padding). This is
 * how {@link com.fashionsearch.models.mobilenet.MobileNetGraph} runs the MobileNets, where it
 * measured faster than libnd4j's layers; against DL4J's NHWC layers for Inception no comparison
 * under equal load was made (docs/benchmarks-history.md, "More ImageNet networks").
 *
 * <p>Supports convolutions (no dilation), batch normalisation, ReLU and identity activations, max
 * and average pooling, and concatenation along channels; anything else is refused by name.
 *
 * <p>Not thread-safe: give it one owner.
 */
public final class NhwcGraph implements AutoCloseable {
  private final List<Node> nodes;
  private final String input;
  private final String output;

  /** For each node, the index of the last node that reads it (to free activations early). */
  private final Map<String, Integer> lastUse;

  private NhwcGraph(List<Node> nodes, String input, String output, Map<String, Integer> lastUse) {
    this.nodes = nodes;
    this.input = input;
    this.output = output;
    this.lastUse = lastUse;
  }

  /**
   * Compiles {@code graph} up to its single output.
   *
   * @throws IllegalArgumentException for a layer or vertex this compiler does not support, naming
   *     it
   */
  public static NhwcGraph compile(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
      throw new IllegalArgumentException(
          "expected one input and one output, got "
              + conf.getNetworkInputs()
              + " and "
              + conf.getNetworkOutputs());
    }
    Map<String, List<String>> inputs = conf.getVertexInputs();
    Map<String, Integer> readers = new HashMap<>();
    for (List<String> in : inputs.values()) {
      for (String s : in) {
        readers.merge(s, 1, Integer::sum);
      }
    }
    List<String> order = new ArrayList<>();
    for (int i : graph.topologicalSortOrder()) {
      order.add(graph.getVertices()[i].getVertexName());
    }
    String networkInput = conf.getNetworkInputs().get(0);
    // a node name -> the compiled node that produces it (a folded BN or ReLU maps to its conv)
    Map<String, String> alias = new HashMap<>();
    Map<String, Node> byName = new LinkedHashMap<>();
    for (String name : order) {
      if (name.equals(networkInput)) {
        continue;
      }
      GraphVertex v = conf.getVertices().get(name);
      List<String> in = inputs.get(name).stream().map(s -> alias.getOrDefault(s, s)).toList();
      if (v instanceof MergeVertex) {
        byName.put(name, new Concat(name, in));
        continue;
      }
      if (!(v instanceof LayerVertex lv)) {
        throw new IllegalArgumentException(
            "vertex '" + name + "' of type " + v.getClass().getSimpleName() + " is not supported");
      }
      if (lv.getPreProcessor() != null) {
        throw new IllegalArgumentException(
            "vertex '"
                + name
                + "' has an input preprocessor "
                + lv.getPreProcessor().getClass().getSimpleName()
                + ", not supported");
      }
      Layer layer = lv.getLayerConf().getLayer();
      String source = in.get(0);
      Node previous = byName.get(source);
      boolean soleReader = readers.getOrDefault(inputs.get(name).get(0), 0) == 1;
      switch (layer) {
        case ConvolutionLayer c -> byName.put(name, conv(graph, name, c, source));
        case BatchNormalization bn -> {
          if (!(previous instanceof Conv conv) || !soleReader || conv.relu) {
            throw new IllegalArgumentException(
                "batch normalisation '" + name + "' does not directly follow a convolution");
          }
          conv.foldBatchNorm(graph.getLayer(name).paramTable(), bn.getEps());
          alias.put(name, source);
        }
        case ActivationLayer a when a.getActivationFn() instanceof ActivationReLU -> {
          if (previous instanceof Conv conv && soleReader && !conv.relu) {
            conv.relu = true;
            alias.put(name, source);
          } else {
            throw new IllegalArgumentException("ReLU '" + name + "' does not follow a convolution");
          }
        }
        case ActivationLayer a when a.getActivationFn() instanceof ActivationIdentity ->
            alias.put(name, source);
        case SubsamplingLayer s -> byName.put(name, pool(name, s, source));
        default ->
            throw new IllegalArgumentException(
                "layer '" + name + "' (" + layer.getClass().getSimpleName() + ") is not supported");
      }
    }
    String out = conf.getNetworkOutputs().get(0);
    out = alias.getOrDefault(out, out);
    List<Node> nodes = List.copyOf(byName.values());
    Map<String, Integer> lastUse = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String s : nodes.get(i).inputs()) {
        lastUse.put(s, i);
      }
    }
    return new NhwcGraph(nodes, networkInput, out, lastUse);
  }

  private static Conv conv(ComputationGraph graph, String name, ConvolutionLayer c, String input) {
    if (c.getDilation()[0] != 1 || c.getDilation()[1] != 1) {
      throw new IllegalArgumentException("dilated convolution '" + name + "' is not supported");
    }
    boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
    if (!same && (c.getPadding()[0] != 0 || c.getPadding()[1] != 0)) {
      throw new IllegalArgumentException("explicit padding of '" + name + "' is not supported");
    }
    INDArray w = graph.getLayer(name).getParam("W"); // [out, in, kh, kw]
    long[] s = w.shape();
    int out = (int) s[0];
    int in = (int) s[1];
    int kh = (int) s[2];
    int kw = (int) s[3];
    int k = kh * kw * in;
    float[] src = w.dup('c').data().asFloat();
    float[] gemm = new float[k * out];
    for (int o = 0; o < out; o++) {
      for (int c2 = 0; c2 < in; c2++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            gemm[((y * kw + x) * in + c2) * out + o] = src[((o * in + c2) * kh + y) * kw + x];
          }
        }
      }
    }
    float[] bias = new float[out];
    if (c.hasBias()) {
      System.arraycopy(
          graph.getLayer(name).getParam("b").dup('c').data().asFloat(), 0, bias, 0, out);
    }
    return new Conv(
        name, List.of(input), gemm, bias, k, out, kh, kw, c.getStride()[0], c.getStride()[1], same);
  }

  private static Pool pool(String name, SubsamplingLayer s, String input) {
    boolean max = s.getPoolingType() == PoolingType.MAX;
    if (!max && s.getPoolingType() != PoolingType.AVG) {
      throw new IllegalArgumentException(
          "pooling '" + name + "' of type " + s.getPoolingType() + " is not supported");
    }
    boolean same = s.getConvolutionMode() == ConvolutionMode.Same;
    if (!same && (s.getPadding()[0] != 0 || s.getPadding()[1] != 0)) {
      throw new IllegalArgumentException("explicit padding of '" + name + "' is not supported");
    }
    if (!max && same && s.isAvgPoolIncludePadInDivisor()) {
      throw new IllegalArgumentException(
          "average pooling '" + name + "' counts padding in its divisor: not supported");
    }
    return new Pool(
        name,
        List.of(input),
        max,
        s.getKernelSize()[0],
        s.getKernelSize()[1],
        s.getStride()[0],
        s.getStride()[1],
        same);
  }

  /**
   * Runs the graph on each image of an NHWC batch and returns the output, NHWC.
   *
   * @param batch {@code [N, H, W, C]}
   */
  public INDArray output(INDArray batch) {
    long[] shape = batch.shape();
    if (shape.length != 4) {
      throw new IllegalArgumentException("input must be NHWC, got " + Arrays.toString(shape));
    }
    int n = (int) shape[0];
    float[] all = batch.dup('c').data().asFloat();
    int per = all.length / n;
    List<float[]> outs = new ArrayList<>();
    int[] outShape = null;
    for (int b = 0; b < n; b++) {
      Activation x =
          new Activation(
              Arrays.copyOfRange(all, b * per, (b + 1) * per),
              (int) shape[1],
              (int) shape[2],
              (int) shape[3]);
      Activation y = run(x);
      outs.add(y.data);
      outShape = new int[] {y.h, y.w, y.c};
    }
    float[] data = new float[n * outs.get(0).length];
    for (int b = 0; b < n; b++) {
      System.arraycopy(outs.get(b), 0, data, b * outs.get(b).length, outs.get(b).length);
    }
    return Nd4j.create(data, new long[] {n, outShape[0], outShape[1], outShape[2]}, 'c');
  }

  private Activation run(Activation x) {
    Map<String, Activation> values = new HashMap<>();
    values.put(input, x);
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      values.put(node.name(), node.apply(values));
      if (node.name().equals(output)) {
        return values.get(output);
      }
      for (String s : node.inputs()) {
        if (lastUse.get(s) == i) {
          values.remove(s);
        }
      }
    }
    throw new IllegalStateException("the output '" + output + "' was never computed");
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      if (node instanceof Conv conv && conv.weights != null) {
        conv.weights.close();
      }
    }
  }

  /** One image's activation, HWC. */
  record Activation(float[] data, int h, int w, int c) {}

  /** A compiled operation. */
  sealed interface Node permits Conv, Pool, Concat {
    String name();

    List<String> inputs();

    Activation apply(Map<String, Activation> values);
  }

  private static int outSize(int in, int k, int stride, boolean same) {
    return same ? (in + stride - 1) / stride : (in - k) / stride + 1;
  }

  private static int padBefore(int in, int out, int k, int stride, boolean same) {
    return same ? Math.max((out - 1) * stride + k - in, 0) / 2 : 0;
  }

  /** A convolution with an optional folded batch normalisation and ReLU. */
  static final class Conv implements Node {
    private final String name;
    private final List<String> inputs;
    private final float[] gemm;
    private final float[] bias;
    private final int k;
    private final int out;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final boolean same;
    private INDArray weights;
    boolean relu;

    Conv(
        String name,
        List<String> inputs,
        float[] gemm,
        float[] bias,
        int k,
        int out,
        int kh,
        int kw,
        int sh,
        int sw,
        boolean same) {
      this.name = name;
      this.inputs = inputs;
      this.gemm = gemm;
      this.bias = bias;
      this.k = k;
      this.out = out;
      this.kh = kh;
      this.kw = kw;
      this.sh = sh;
      this.sw = sw;
      this.same = same;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<String> inputs() {
      return inputs;
    }

    /**
     * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, folded into the weights and bias.
     */
    void foldBatchNorm(Map<String, INDArray> params, double eps) {
      float[] gamma = params.get("gamma").dup('c').data().asFloat();
      float[] beta = params.get("beta").dup('c').data().asFloat();
      float[] mean = params.get("mean").dup('c').data().asFloat();
      float[] var = params.get("var").dup('c').data().asFloat();
      for (int o = 0; o < out; o++) {
        double scale = gamma[o] / Math.sqrt(var[o] + eps);
        for (int r = 0; r < k; r++) {
          gemm[r * out + o] = (float) (gemm[r * out + o] * scale);
        }
        bias[o] = (float) ((bias[o] - mean[o]) * scale + beta[o]);
      }
    }

    @Override
    public Activation apply(Map<String, Activation> values) {
      if (weights == null) {
        weights = Nd4j.create(gemm, new long[] {k, out}, 'c');
      }
      Activation x = values.get(inputs.get(0));
      int h = x.h();
      int w = x.w();
      int c = x.c();
      int oh = outSize(h, kh, sh, same);
      int ow = outSize(w, kw, sw, same);
      float[] cols;
      if (kh == 1 && kw == 1 && sh == 1 && sw == 1) {
        cols = x.data();
      } else {
        float[] columns = new float[oh * ow * k];
        int pt = padBefore(h, oh, kh, sh, same);
        int pl = padBefore(w, ow, kw, sw, same);
        float[] src = x.data();
        IntStream.range(0, oh)
            .parallel()
            .forEach(
                oy -> {
                  for (int ox = 0; ox < ow; ox++) {
                    int dst = (oy * ow + ox) * k;
                    for (int ky = 0; ky < kh; ky++) {
                      int iy = oy * sh + ky - pt;
                      for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw + kx - pl;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                          System.arraycopy(
                              src, (iy * w + ix) * c, columns, dst + (ky * kw + kx) * c, c);
                        }
                      }
                    }
                  }
                });
        cols = columns;
      }
      float[] result;
      try (INDArray a = Nd4j.create(cols, new long[] {(long) oh * ow, k}, 'c');
          INDArray product = a.mmul(weights)) {
        result = product.data().asFloat();
      }
      float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
      IntStream.range(0, oh)
          .parallel()
          .forEach(
              row -> {
                for (int p = row * ow * out; p < (row + 1) * ow * out; p += out) {
                  for (int ch = 0; ch < out; ch++) {
                    result[p + ch] = Math.max(lo, result[p + ch] + bias[ch]);
                  }
                }
              });
      return new Activation(result, oh, ow, out);
    }
  }

  /** Max or average pooling; the average counts only the positions inside the input. */
  record Pool(
      String name, List<String> inputs, boolean max, int kh, int kw, int sh, int sw, boolean same)
      implements Node {
    @Override
    public Activation apply(Map<String, Activation> values) {
      Activation x = values.get(inputs.get(0));
      int h = x.h();
      int w = x.w();
      int c = x.c();
      int oh = outSize(h, kh, sh, same);
      int ow = outSize(w, kw, sw, same);
      int pt = padBefore(h, oh, kh, sh, same);
      int pl = padBefore(w, ow, kw, sw, same);
      float[] src = x.data();
      float[] out = new float[oh * ow * c];
      IntStream.range(0, oh)
          .parallel()
          .forEach(
              oy -> {
                float[] acc = new float[c];
                for (int ox = 0; ox < ow; ox++) {
                  Arrays.fill(acc, max ? Float.NEGATIVE_INFINITY : 0f);
                  int count = 0;
                  for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * sh + ky - pt;
                    if (iy < 0 || iy >= h) {
                      continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                      int ix = ox * sw + kx - pl;
                      if (ix < 0 || ix >= w) {
                        continue;
                      }
                      int s = (iy * w + ix) * c;
                      count++;
                      for (int ch = 0; ch < c; ch++) {
                        acc[ch] = max ? Math.max(acc[ch], src[s + ch]) : acc[ch] + src[s + ch];
                      }
                    }
                  }
                  int d = (oy * ow + ox) * c;
                  for (int ch = 0; ch < c; ch++) {
                    out[d + ch] = max ? acc[ch] : acc[ch] / count;
                  }
                }
              });
      return new Activation(out, oh, ow, c);
    }
  }

  /** Concatenation along channels. */
  record Concat(String name, List<String> inputs) implements Node {
    @Override
    public Activation apply(Map<String, Activation> values) {
      List<Activation> parts = inputs.stream().map(values::get).toList();
      int h = parts.get(0).h();
      int w = parts.get(0).w();
      int total = 0;
      for (Activation p : parts) {
        if (p.h() != h || p.w() != w) {
          throw new IllegalStateException(
              "concatenation '"
                  + name
                  + "' of maps "
                  + h
                  + "x"
                  + w
                  + " and "
                  + p.h()
                  + "x"
                  + p.w());
        }
        total += p.c();
      }
      float[] out = new float[h * w * total];
      int channels = total;
      IntStream.range(0, h)
          .parallel()
          .forEach(
              y -> {
                for (int x = y * w; x < (y + 1) * w; x++) {
                  int off = 0;
                  for (Activation p : parts) {
                    System.arraycopy(p.data(), x * p.c(), out, x * channels + off, p.c());
                    off += p.c();
                  }
                }
              });
      return new Activation(out, h, w, total);
    }
  }
}
