package com.fashionsearch.models.mobilenet;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A TFLite MobileNet as a float SameDiff graph on ND4J: every operator of the file's first subgraph
 * in order (CONV_2D, DEPTHWISE_CONV_2D with the file's strides and SAME/VALID padding, fused ReLU6,
 * AVERAGE_POOL_2D, ADD, RESHAPE, SQUEEZE, SOFTMAX), with weights and biases dequantised. Each
 * operator's output is clamped to the range its uint8 output can represent, as the quantised network
 * does. Activations are NHWC; tensor {@code i} of the file is the graph variable {@link
 * #variableName(int) t<i>}.
 *
 * <p>Not thread-safe: a SameDiff graph has one owner.
 */
public final class MobileNetGraph implements AutoCloseable {
  private static final String INPUT = "input";

  private final SameDiff sd;
  private final int side;
  private final float inputScale;
  private final int inputZeroPoint;
  private final String featureMap;
  private final String pooled;
  private final String logits;

  private MobileNetGraph(
      SameDiff sd, int side, float inputScale, int inputZeroPoint, String featureMap, String pooled,
      String logits) {
    this.sd = sd;
    this.side = side;
    this.inputScale = inputScale;
    this.inputZeroPoint = inputZeroPoint;
    this.featureMap = featureMap;
    this.pooled = pooled;
    this.logits = logits;
  }

  /** The graph variable holding tensor {@code index} of the file. */
  public static String variableName(int index) {
    return "t" + index;
  }

  /**
   * Builds the graph of {@code model}'s first subgraph.
   *
   * @throws IllegalArgumentException for an operator or layout this builder does not support, naming
   *     it
   */
  public static MobileNetGraph build(TfliteModel model) {
    if (model.subgraphsLength() < 1) {
      throw new IllegalArgumentException("TFLite model has no subgraph");
    }
    TfliteSubGraph graph = model.subgraph(0);
    int[] inputs = graph.inputs();
    if (inputs.length != 1) {
      throw new IllegalArgumentException("expected one input tensor, the file has " + inputs.length);
    }
    TfliteTensor in = graph.tensor(inputs[0]);
    int[] inShape = in.shape();
    if (inShape.length != 4 || inShape[1] != inShape[2] || inShape[3] != 3) {
      throw new IllegalArgumentException(
          "expected a square NHWC RGB input, the file's input has shape " + Arrays.toString(inShape));
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

    SameDiff sd = SameDiff.create();
    Map<Integer, SDVariable> vars = new HashMap<>();
    vars.put(inputs[0], sd.placeHolder(INPUT, DataType.FLOAT, -1, inShape[1], inShape[2], 3));
    String featureMap = null;
    String pooled = null;
    String logits = null;
    for (int i = 0; i < graph.operatorsLength(); i++) {
      TfliteOperator op = graph.operator(i);
      int code = model.operatorCode(op.opcodeIndex()).builtinCode();
      int[] opIn = op.inputs();
      int out = op.outputs()[0];
      String name = variableName(out);
      SDVariable x = vars.get(opIn[0]);
      if (x == null) {
        throw new IllegalArgumentException(
            "operator " + i + " reads tensor " + opIn[0] + " before any operator wrote it");
      }
      SDVariable y =
          switch (code) {
            case TfliteOperatorCode.CONV_2D, TfliteOperatorCode.DEPTHWISE_CONV_2D ->
                convolution(sd, x, model, graph, op, code == TfliteOperatorCode.DEPTHWISE_CONV_2D, name);
            case TfliteOperatorCode.AVERAGE_POOL_2D -> {
              featureMap = variableName(opIn[0]);
              pooled = name;
              TflitePoolOptions p = op.poolOptions();
              Pooling2DConfig cfg = Pooling2DConfig.builder()
                  .kH(p.filterHeight()).kW(p.filterWidth()).sH(p.strideH()).sW(p.strideW())
                  .paddingMode(padding(p.padding())).isNHWC(true)
                  .type(Pooling2D.Pooling2DType.AVG).divisor(Pooling2D.Divisor.EXCLUDE_PADDING)
                  .build();
              yield sd.cnn().avgPooling2d(name, x, cfg);
            }
            case TfliteOperatorCode.ADD -> sd.math().add(name + "_add", x, vars.get(opIn[1]));
            case TfliteOperatorCode.RESHAPE, TfliteOperatorCode.SQUEEZE -> {
              int[] target = graph.tensor(out).shape();
              long[] shape = new long[target.length];
              shape[0] = -1;
              for (int d = 1; d < target.length; d++) {
                shape[d] = target[d];
              }
              yield sd.reshape(name, x, shape);
            }
            case TfliteOperatorCode.SOFTMAX -> {
              logits = variableName(opIn[0]);
              yield sd.nn().softmax(name, x, graph.tensor(out).shape().length - 1);
            }
            default -> throw new IllegalArgumentException(
                "operator " + i + " has unsupported builtin code " + code);
          };
      if (code == TfliteOperatorCode.CONV_2D || code == TfliteOperatorCode.DEPTHWISE_CONV_2D
          || code == TfliteOperatorCode.ADD) {
        int activation = code == TfliteOperatorCode.ADD
            ? op.addActivation() : op.convOptions().fusedActivation();
        y = clamp(sd, y, activation, graph.tensor(out), name);
      }
      vars.put(out, y);
    }
    if (pooled == null) {
      throw new IllegalArgumentException("the file has no AVERAGE_POOL_2D: not a MobileNet");
    }
    return new MobileNetGraph(sd, inShape[1], inScale, inZero, featureMap, pooled, logits);
  }

  private static SDVariable convolution(
      SameDiff sd, SDVariable x, TfliteModel model, TfliteSubGraph graph, TfliteOperator op,
      boolean depthwise, String name) {
    int[] in = op.inputs();
    TfliteConvOptions o = op.convOptions();
    if (o.dilationH() != 1 || o.dilationW() != 1) {
      throw new IllegalArgumentException("dilated convolutions are not supported: " + name);
    }
    DequantizedTensor w = DequantizedTensor.of(model, graph, in[1]);
    int[] s = w.shape(); // conv: [O, H, W, I]; depthwise: [1, H, W, I*M]
    INDArray weights;
    if (depthwise) {
      int inChannels = graph.tensor(in[0]).shape()[3];
      int multiplier = s[3] / inChannels;
      // [1, H, W, I*M] with channel i*M+m is exactly [H, W, I, M] in row-major order
      weights = Nd4j.create(w.values(), new long[] {s[1], s[2], inChannels, multiplier}, 'c');
    } else {
      weights = Nd4j.create(w.values(), new long[] {s[0], s[1], s[2], s[3]}, 'c')
          .permute(1, 2, 3, 0).dup('c'); // to [H, W, I, O]
    }
    SDVariable wv = sd.constant(name + "_w", weights);
    SDVariable bv = null;
    if (in.length > 2 && in[2] >= 0) {
      DequantizedTensor b = DequantizedTensor.ofBias(model, graph, in[2], in[0], in[1]);
      bv = sd.constant(name + "_b", Nd4j.create(b.values(), new long[] {b.values().length}, 'c'));
    }
    Conv2DConfig cfg = Conv2DConfig.builder()
        .kH(s[1]).kW(s[2]).sH(o.strideH()).sW(o.strideW())
        .paddingMode(padding(o.padding())).dataFormat("NHWC").build();
    String raw = name + "_conv";
    return depthwise
        ? sd.cnn().depthWiseConv2d(raw, x, wv, bv, cfg)
        : sd.cnn().conv2d(raw, x, wv, bv, cfg);
  }

  /** Applies the fused activation and the clamp to the output's uint8 range. */
  private static SDVariable clamp(
      SameDiff sd, SDVariable y, int activation, TfliteTensor out, String name) {
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    switch (activation) {
      case TfliteConvOptions.ACTIVATION_NONE -> { }
      case TfliteConvOptions.ACTIVATION_RELU -> lo = 0;
      case TfliteConvOptions.ACTIVATION_RELU6 -> {
        lo = 0;
        hi = 6;
      }
      default -> throw new IllegalArgumentException(
          "unsupported fused activation " + activation + " on " + out.name());
    }
    TfliteQuantization q = out.quantization();
    if (out.type() == TfliteTensor.UINT8 && q != null && q.scale().length == 1) {
      double scale = q.scale()[0];
      long zero = q.zeroPoint()[0];
      lo = Math.max(lo, scale * (0 - zero));
      hi = Math.min(hi, scale * (255 - zero));
    }
    if (Double.isInfinite(lo) && Double.isInfinite(hi)) {
      return sd.identity(name, y);
    }
    return sd.math().clipByValue(name, y, lo, hi);
  }

  private static PaddingMode padding(int tflitePadding) {
    return switch (tflitePadding) {
      case TfliteConvOptions.PADDING_SAME -> PaddingMode.SAME;
      case TfliteConvOptions.PADDING_VALID -> PaddingMode.VALID;
      default -> throw new IllegalArgumentException("unknown TFLite padding " + tflitePadding);
    };
  }

  /** The input side in pixels (224). */
  public int inputSide() {
    return side;
  }

  /** The real value of input byte {@code v}: {@code scale * (v - zero_point)} as the file declares. */
  public float inputValue(int v) {
    return inputScale * (v - inputZeroPoint);
  }

  /** The variable of the last feature map before global pooling, NHWC. */
  public String featureMap() {
    return featureMap;
  }

  /** The variable of the globally pooled features, {@code [N, 1, 1, C]}. */
  public String pooled() {
    return pooled;
  }

  /** The variable of the classifier's logits (the softmax input), or {@code null} without one. */
  public String logits() {
    return logits;
  }

  /**
   * Runs the graph.
   *
   * @param input NHWC float input {@code [N, side, side, 3]} of real values (see {@link #inputValue})
   * @param outputs the variables to compute
   */
  public Map<String, INDArray> run(INDArray input, String... outputs) {
    return sd.output(Map.of(INPUT, input), outputs);
  }

  @Override
  public void close() {
    sd.clearPlaceholders(true);
    sd.clearOpInputs();
  }
}
