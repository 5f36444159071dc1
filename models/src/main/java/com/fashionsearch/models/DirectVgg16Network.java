package com.fashionsearch.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * VGG16 up to fc2, or up to pool5, run through libnd4j's own ops ({@code conv2d} in NHWC with its
 * bias, {@code relu}, {@code maxpool2d}, then matrix products for the dense layers) instead of the
 * ComputationGraph's layers, which do not reach the fast (oneDNN) kernels. The weights are copied
 * from a graph truncated at fc2 ({@link Fc2Layer#truncate}); the result equals the graph's fc2
 * within float rounding.
 *
 * <p>Not thread-safe: one owner, like any network.
 */
final class DirectVgg16Network implements AutoCloseable {

  private sealed interface Stage permits Conv, Pool, Flatten, Dense {}

  /** 3x3 convolution, stride 1, padding 1, with bias and ReLU; weights as [kH, kW, in, out]. */
  private record Conv(INDArray weights, INDArray bias) implements Stage {}

  /** 2x2 max pooling, stride 2. */
  private record Pool() implements Stage {}

  /** NHWC to [N, H*W*C]; fc1's weights are reordered to match whatever order the graph used. */
  private record Flatten() implements Stage {}

  /** Matrix product, bias, ReLU. */
  private record Dense(INDArray weights, INDArray bias) implements Stage {}

  private final List<Stage> stages;

  private DirectVgg16Network(List<Stage> stages) {
    this.stages = stages;
  }

  /**
   * Copies the weights of a graph truncated at fc2 ({@link Fc2Layer#truncate}) or at pool5 ({@link
   * Pool5Layer#truncate}).
   *
   * @throws UnsupportedOperationException if the graph has a vertex or option this engine does not
   *     reproduce exactly (then use the graph engine)
   */
  static DirectVgg16Network from(ComputationGraph truncated) {
    ComputationGraphConfiguration conf = truncated.getConfiguration();
    List<Stage> stages = new ArrayList<>();
    long[] shape = null; // NHWC shape of the current activation, without the batch
    boolean flat = false;
    for (String name : Fc2Layer.topologicalNames(truncated)) {
      GraphVertex vertex = conf.getVertices().get(name);
      if (conf.getNetworkInputs().contains(name)) {
        continue;
      }
      if (!(vertex instanceof LayerVertex lv)) {
        throw unsupported(name, "vertex " + vertex);
      }
      Layer layer = lv.getLayerConf().getLayer();
      InputPreProcessor pre = lv.getPreProcessor();
      if (layer instanceof ConvolutionLayer conv && layer.getClass() == ConvolutionLayer.class) {
        if (pre != null && !(pre instanceof FeedForwardToCnnPreProcessor && shape == null)) {
          throw unsupported(name, "input preprocessor " + pre);
        }
        requireConv3x3(name, conv);
        INDArray w = truncated.getLayer(name).getParam("W"); // [out, in, kH, kW]
        INDArray b = truncated.getLayer(name).getParam("b");
        stages.add(
            new Conv(
                w.permute(2, 3, 1, 0).dup('c').castTo(DataType.FLOAT),
                b.reshape(b.length()).dup().castTo(DataType.FLOAT)));
        long out = w.size(0);
        shape =
            shape == null
                ? new long[] {Vgg16Input.SIDE, Vgg16Input.SIDE, out}
                : new long[] {shape[0], shape[1], out};
      } else if (layer instanceof SubsamplingLayer pool
          && layer.getClass() == SubsamplingLayer.class) {
        if (pre != null || shape == null) {
          throw unsupported(
              name, "pooling without a convolution before it, or preprocessor " + pre);
        }
        requirePool2x2(name, pool);
        stages.add(new Pool());
        shape = new long[] {shape[0] / 2, shape[1] / 2, shape[2]};
      } else if (layer instanceof DenseLayer dense) {
        requireRelu(name, dense.getActivationFn());
        INDArray w = truncated.getLayer(name).getParam("W"); // [in, out]
        INDArray b = truncated.getLayer(name).getParam("b");
        if (!flat) {
          if (shape == null) {
            throw unsupported(name, "dense layer before any convolution");
          }
          w = reorderForNhwcFlatten(name, pre, w, shape);
          stages.add(new Flatten());
          flat = true;
        } else if (pre != null) {
          throw unsupported(name, "input preprocessor " + pre);
        }
        stages.add(
            new Dense(
                w.dup('c').castTo(DataType.FLOAT),
                b.reshape(1, b.length()).dup().castTo(DataType.FLOAT)));
      } else if (layer instanceof ActivationLayer act
          && act.getActivationFn() instanceof ActivationReLU) {
        // a ReLU after a ReLU layer (fc2 followed by its activation) changes nothing
        requireRelu(name, act.getActivationFn());
      } else {
        throw unsupported(name, "layer " + layer.getClass().getSimpleName());
      }
    }
    if (shape == null) {
      throw unsupported("(graph)", "no convolutions");
    }
    return new DirectVgg16Network(stages);
  }

  /**
   * fc1's weight rows follow the flatten order of the graph's preprocessor: C, H, W for DL4J's own
   * (NCHW) flatten, H, W, C for an NHWC or TensorFlow one. This engine flattens NHWC, so reorder
   * the rows once here.
   */
  private static INDArray reorderForNhwcFlatten(
      String name, InputPreProcessor pre, INDArray w, long[] shape) {
    long h = shape[0];
    long wd = shape[1];
    long c = shape[2];
    if (w.size(0) != h * wd * c) {
      throw unsupported(name, "fc1 has " + w.size(0) + " inputs, expected " + h * wd * c);
    }
    if (pre instanceof TensorFlowCnnToFeedForwardPreProcessor) {
      return w;
    }
    if (pre instanceof CnnToFeedForwardPreProcessor cnn) {
      if (cnn.getFormat() == CNN2DFormat.NHWC) {
        return w;
      }
      return w.reshape('c', c, h, wd, w.size(1))
          .permute(1, 2, 0, 3)
          .dup('c')
          .reshape('c', h * wd * c, w.size(1));
    }
    throw unsupported(name, "flatten preprocessor " + pre);
  }

  private static void requireConv3x3(String name, ConvolutionLayer conv) {
    boolean ok =
        Arrays.equals(conv.getKernelSize(), new int[] {3, 3})
            && Arrays.equals(conv.getStride(), new int[] {1, 1})
            && Arrays.equals(conv.getDilation(), new int[] {1, 1})
            && conv.hasBias()
            && (conv.getConvolutionMode() == ConvolutionMode.Same
                || Arrays.equals(conv.getPadding(), new int[] {1, 1}));
    if (!ok) {
      throw unsupported(name, "convolution other than 3x3, stride 1, padding 1 (same), with bias");
    }
    requireRelu(name, conv.getActivationFn());
  }

  private static void requirePool2x2(String name, SubsamplingLayer pool) {
    boolean ok =
        pool.getPoolingType() == PoolingType.MAX
            && Arrays.equals(pool.getKernelSize(), new int[] {2, 2})
            && Arrays.equals(pool.getStride(), new int[] {2, 2})
            && Arrays.equals(pool.getPadding(), new int[] {0, 0});
    if (!ok) {
      throw unsupported(name, "pooling other than 2x2 max, stride 2");
    }
  }

  private static void requireRelu(String name, org.nd4j.linalg.activations.IActivation activation) {
    if (!(activation instanceof ActivationReLU relu)
        || relu.getMax() != null
        || (relu.getThreshold() != null && relu.getThreshold() != 0.0)
        || (relu.getNegativeSlope() != null && relu.getNegativeSlope() != 0.0)) {
      throw unsupported(name, "activation " + activation + " (only plain ReLU)");
    }
  }

  private static UnsupportedOperationException unsupported(String name, String what) {
    return new UnsupportedOperationException(
        "direct VGG16 engine cannot run vertex '" + name + "': " + what);
  }

  /**
   * Runs a batch.
   *
   * @param nhwc {@code [N, 224, 224, 3]} from {@link Vgg16Input#nhwc}
   * @return the graph's output: {@code [N, 4096]}, fc2 after its ReLU, for a graph truncated at
   *     fc2; {@code [N, 7, 7, 512]} (NHWC) for one truncated at pool5; the caller closes it
   */
  INDArray output(INDArray nhwc) {
    INDArray x = nhwc;
    for (Stage stage : stages) {
      INDArray next =
          switch (stage) {
            case Conv c -> conv(x, c);
            case Pool p -> pool(x);
            case Flatten f -> x.reshape('c', x.size(0), x.length() / x.size(0)).dup('c');
            case Dense d -> Transforms.relu(x.mmul(d.weights()).addiRowVector(d.bias()), false);
          };
      if (x != nhwc) {
        x.close();
      }
      x = next;
    }
    return x;
  }

  private static INDArray conv(INDArray x, Conv c) {
    long out = c.weights().size(3);
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(1), x.size(2), out);
    Nd4j.exec(
        DynamicCustomOp.builder("conv2d")
            .addInputs(x, c.weights(), c.bias())
            .addOutputs(y)
            // kH, kW, sH, sW, pH, pW, dH, dW, same-mode, NHWC, weights [kH, kW, in, out]
            .addIntegerArguments(3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0)
            .build());
    return Transforms.relu(y, false);
  }

  private static INDArray pool(INDArray x) {
    INDArray y =
        Nd4j.createUninitialized(
            DataType.FLOAT, x.size(0), x.size(1) / 2, x.size(2) / 2, x.size(3));
    Nd4j.exec(
        DynamicCustomOp.builder("maxpool2d")
            .addInputs(x)
            .addOutputs(y)
            // kH, kW, sH, sW, pH, pW, dH, dW, same-mode, extra, NHWC
            .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1)
            .build());
    return y;
  }

  @Override
  public void close() {
    for (Stage stage : stages) {
      if (stage instanceof Conv c) {
        c.weights().close();
        c.bias().close();
      } else if (stage instanceof Dense d) {
        d.weights().close();
        d.bias().close();
      }
    }
  }
}
