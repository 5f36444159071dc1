package com.fashionsearch.models;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * VGG16 (configuration D of Simonyan and Zisserman) as a DL4J graph whose layers carry the names
 * Keras gives them ({@code block1_conv1} ... {@code block5_pool}, {@code fc1}, {@code fc2}, {@code
 * predictions}): thirteen 3x3 convolutions (stride 1, padding 1, ReLU) in five blocks, each block
 * ending in a 2x2 max pooling, then optionally the three dense layers. fc1 reads the 7x7x512 map
 * flattened by DL4J's NCHW preprocessor, that is in C, H, W order. Thread-safe (stateless).
 */
final class Vgg16Graph {
  /** One convolution: its Keras name and its input and output channels. */
  record Conv(String name, int in, int out) {}

  /** The thirteen convolutions, in order. */
  static final List<Conv> CONVS =
      List.of(
          new Conv("block1_conv1", 3, 64),
          new Conv("block1_conv2", 64, 64),
          new Conv("block2_conv1", 64, 128),
          new Conv("block2_conv2", 128, 128),
          new Conv("block3_conv1", 128, 256),
          new Conv("block3_conv2", 256, 256),
          new Conv("block3_conv3", 256, 256),
          new Conv("block4_conv1", 256, 512),
          new Conv("block4_conv2", 512, 512),
          new Conv("block4_conv3", 512, 512),
          new Conv("block5_conv1", 512, 512),
          new Conv("block5_conv2", 512, 512),
          new Conv("block5_conv3", 512, 512));

  /** The dense layers, in order. */
  static final List<String> TOP = List.of("fc1", "fc2", "predictions");

  /** The side of the last pooling's output map (224 / 2^5). */
  static final int POOL5_SIDE = 7;

  /** The channels of the last pooling's output map. */
  static final int POOL5_CHANNELS = 512;

  /** fc1's inputs: the flattened 7x7x512 map. */
  static final int FC1_INPUTS = POOL5_SIDE * POOL5_SIDE * POOL5_CHANNELS;

  private Vgg16Graph() {}

  /**
   * The configuration: up to {@code block5_pool} when {@code classes} is 0, else with fc1, fc2 and
   * a softmax {@code predictions} layer of that many classes.
   */
  static ComputationGraphConfiguration configuration(int classes) {
    if (classes < 0) {
      throw new IllegalArgumentException("classes must be 0 (no top) or more, got: " + classes);
    }
    ComputationGraphConfiguration.GraphBuilder b =
        new NeuralNetConfiguration.Builder()
            .dataType(DataType.FLOAT)
            .activation(Activation.RELU)
            .graphBuilder()
            .addInputs("input_1");
    String previous = "input_1";
    int block = 1;
    for (Conv conv : CONVS) {
      int convBlock = conv.name().charAt("block".length()) - '0';
      if (convBlock != block) {
        previous = addPool(b, block, previous);
        block = convBlock;
      }
      b.addLayer(
          conv.name(),
          new ConvolutionLayer.Builder(3, 3)
              .stride(1, 1)
              .padding(1, 1)
              .nIn(conv.in())
              .nOut(conv.out())
              .build(),
          previous);
      previous = conv.name();
    }
    previous = addPool(b, block, previous);
    if (classes > 0) {
      b.addLayer("fc1", new DenseLayer.Builder().nOut(Fc2Layer.WIDTH).build(), previous);
      b.addLayer("fc2", new DenseLayer.Builder().nOut(Fc2Layer.WIDTH).build(), "fc1");
      b.addLayer(
          "predictions",
          new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
              .nOut(classes)
              .activation(Activation.SOFTMAX)
              .build(),
          "fc2");
      previous = "predictions";
    }
    return b.setOutputs(previous)
        .setInputTypes(InputType.convolutional(Vgg16Input.SIDE, Vgg16Input.SIDE, 3))
        .build();
  }

  private static String addPool(
      ComputationGraphConfiguration.GraphBuilder b, int block, String previous) {
    String name = "block" + block + "_pool";
    b.addLayer(
        name,
        new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
            .kernelSize(2, 2)
            .stride(2, 2)
            .build(),
        previous);
    return name;
  }

  /**
   * A graph of this configuration whose parameters are allocated but not initialised: the caller
   * sets every one of them (no random initialisation of 138M parameters only to overwrite them).
   */
  static ComputationGraph uninitialised(int classes) {
    ComputationGraphConfiguration conf = configuration(classes);
    long count = 0;
    for (GraphVertex vertex : conf.getVertices().values()) {
      count += vertex.numParams(false);
    }
    INDArray params = Nd4j.createUninitialized(DataType.FLOAT, 1, count);
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init(params, false);
    return graph;
  }
}
