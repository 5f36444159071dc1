package com.fashionsearch.models.mobilenet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of every tensor of a TFLite subgraph, inferred operator by operator from the input's
 * shape and the constant tensors. Files written by the MLIR converter leave the shapes of
 * intermediate tensors empty; where a file does give a shape, it must agree with the inferred one.
 * Supports the operators {@link MobileNetGraph} runs. Immutable; thread-safe.
 */
public final class TensorShapes {
  private final int[][] shapes;

  private TensorShapes(int[][] shapes) {
    this.shapes = shapes;
  }

  /**
   * Infers the shapes of {@code graph}'s tensors.
   *
   * @throws IllegalArgumentException for an unsupported operator, an operator whose input shape is
   *     unknown, or a shape in the file that contradicts the inferred one (naming the tensor)
   */
  public static TensorShapes infer(TfliteModel model, TfliteSubGraph graph) {
    int[][] shapes = new int[graph.tensorsLength()][];
    for (int i = 0; i < shapes.length; i++) {
      TfliteTensor t = graph.tensor(i);
      boolean constant = t.buffer() != 0 && model.buffer(t.buffer()).data().remaining() > 0;
      if (constant) {
        shapes[i] = t.shape();
      }
    }
    for (int i : graph.inputs()) {
      shapes[i] = graph.tensor(i).shape();
      if (shapes[i].length == 0) {
        throw new IllegalArgumentException("input tensor " + i + " has no shape in the file");
      }
    }
    for (int o = 0; o < graph.operatorsLength(); o++) {
      TfliteOperator op = graph.operator(o);
      int code = model.operatorCode(op.opcodeIndex()).builtinCode();
      int[] in = op.inputs();
      int[] x = in.length > 0 && in[0] >= 0 ? shapes[in[0]] : null;
      if (x == null) {
        throw new IllegalArgumentException(
            "operator "
                + o
                + " (builtin code "
                + code
                + ") reads tensor "
                + (in.length > 0 ? in[0] : -1)
                + " whose shape is not known yet");
      }
      int[] out =
          switch (code) {
            case TfliteOperatorCode.CONV_2D -> {
              require4d(x, o);
              TfliteConvOptions c = op.convOptions();
              int[] w = shapes[in[1]]; // [O, kh, kw, C]
              yield new int[] {
                x[0],
                outSize(x[1], w[1], c.strideH(), c.padding()),
                outSize(x[2], w[2], c.strideW(), c.padding()),
                w[0]
              };
            }
            case TfliteOperatorCode.DEPTHWISE_CONV_2D -> {
              require4d(x, o);
              TfliteConvOptions c = op.convOptions();
              int[] w = shapes[in[1]]; // [1, kh, kw, C*M]
              yield new int[] {
                x[0],
                outSize(x[1], w[1], c.strideH(), c.padding()),
                outSize(x[2], w[2], c.strideW(), c.padding()),
                w[3]
              };
            }
            case TfliteOperatorCode.AVERAGE_POOL_2D -> {
              require4d(x, o);
              TflitePoolOptions p = op.poolOptions();
              yield new int[] {
                x[0],
                outSize(x[1], p.filterHeight(), p.strideH(), p.padding()),
                outSize(x[2], p.filterWidth(), p.strideW(), p.padding()),
                x[3]
              };
            }
            case TfliteOperatorCode.ADD -> {
              int[] y = shapes[in[1]];
              if (!Arrays.equals(x, y)) {
                throw new IllegalArgumentException(
                    "operator "
                        + o
                        + ": ADD of shapes "
                        + Arrays.toString(x)
                        + " and "
                        + Arrays.toString(y)
                        + " (no broadcasting)");
              }
              yield x.clone();
            }
            case TfliteOperatorCode.SOFTMAX -> x.clone();
            case TfliteOperatorCode.RESHAPE -> reshape(model, graph, op, x, o);
            case TfliteOperatorCode.SQUEEZE -> squeeze(op.squeezeDims(), x, o);
            default ->
                throw new IllegalArgumentException(
                    "operator " + o + " has unsupported builtin code " + code);
          };
      int target = op.outputs()[0];
      int[] declared = graph.tensor(target).shape();
      if (declared.length > 0 && !Arrays.equals(declared, out)) {
        throw new IllegalArgumentException(
            "tensor "
                + target
                + " '"
                + graph.tensor(target).name()
                + "' has shape "
                + Arrays.toString(declared)
                + " in the file, operator "
                + o
                + " computes "
                + Arrays.toString(out));
      }
      shapes[target] = out;
    }
    return new TensorShapes(shapes);
  }

  /**
   * The shape of tensor {@code index}.
   *
   * @throws IllegalArgumentException if no operator writes it and the file gives none
   */
  public int[] shape(int index) {
    if (index < 0 || index >= shapes.length) {
      throw new IllegalArgumentException(
          "tensor index must be in [0, " + shapes.length + "), got: " + index);
    }
    if (shapes[index] == null) {
      throw new IllegalArgumentException("tensor " + index + " has no known shape");
    }
    return shapes[index].clone();
  }

  private static void require4d(int[] x, int op) {
    if (x.length != 4) {
      throw new IllegalArgumentException(
          "operator " + op + " needs an NHWC input, got shape " + Arrays.toString(x));
    }
  }

  /** TFLite's output size: SAME rounds up, VALID drops the incomplete window. */
  static int outSize(int in, int k, int stride, int padding) {
    return padding == TfliteConvOptions.PADDING_SAME
        ? (in + stride - 1) / stride
        : (in - k) / stride + 1;
  }

  private static int[] reshape(
      TfliteModel model, TfliteSubGraph graph, TfliteOperator op, int[] x, int o) {
    int[] target = op.reshapeNewShape();
    int[] in = op.inputs();
    if ((target == null || target.length == 0) && in.length > 1 && in[1] >= 0) {
      TfliteTensor shapeTensor = graph.tensor(in[1]);
      ByteBuffer data = model.buffer(shapeTensor.buffer()).data();
      if (shapeTensor.type() != TfliteTensor.INT32 || data.remaining() == 0) {
        throw new IllegalArgumentException(
            "operator " + o + ": RESHAPE to a shape that is not a constant int32 tensor");
      }
      target = new int[data.remaining() / 4];
      for (int i = 0; i < target.length; i++) {
        target[i] = data.getInt(4 * i);
      }
    }
    if (target == null || target.length == 0) {
      throw new IllegalArgumentException("operator " + o + ": RESHAPE without a target shape");
    }
    int count = product(x);
    int known = 1;
    int free = -1;
    int[] out = target.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == -1) {
        if (free >= 0) {
          throw new IllegalArgumentException(
              "operator " + o + ": RESHAPE target " + Arrays.toString(target) + " has two -1");
        }
        free = i;
      } else {
        known *= out[i];
      }
    }
    if (free >= 0) {
      out[free] = count / known;
    }
    if (product(out) != count) {
      throw new IllegalArgumentException(
          "operator "
              + o
              + ": cannot RESHAPE "
              + Arrays.toString(x)
              + " to "
              + Arrays.toString(target));
    }
    return out;
  }

  private static int[] squeeze(int[] dims, int[] x, int o) {
    List<Integer> kept = new ArrayList<>();
    boolean all = dims == null || dims.length == 0;
    for (int d = 0; d < x.length; d++) {
      boolean listed = false;
      if (!all) {
        for (int s : dims) {
          listed |= (s < 0 ? s + x.length : s) == d;
        }
      }
      if ((all && x[d] == 1) || listed) {
        if (x[d] != 1) {
          throw new IllegalArgumentException(
              "operator "
                  + o
                  + ": SQUEEZE of dimension "
                  + d
                  + " of size "
                  + x[d]
                  + " in "
                  + Arrays.toString(x));
        }
      } else {
        kept.add(x[d]);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int product(int[] shape) {
    int p = 1;
    for (int d : shape) {
      p *= d;
    }
    return p;
  }
}
