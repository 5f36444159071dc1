package com.fashionsearch.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small stand-in for the pretrained zoo VGG16, whose layers are named as in Keras ({@code
 * block1_conv1}, ..., {@code fc1}, {@code fc2}, {@code predictions}): the real pretrained graph
 * cannot be downloaded here. Same input (3x224x224), same five 2x2 poolings and the two 4096-unit
 * dense layers, but only one thin convolution, so it is cheap to build and run.
 */
final class StandInVgg16 {
  private StandInVgg16() {}

  /**
   * @param separateRelu if true, fc2 has the identity activation and a separate ReLU layer {@code
   *     fc2_relu} follows it
   */
  static ComputationGraph build(long seed, boolean separateRelu) {
    ComputationGraphConfiguration.GraphBuilder b =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .activation(Activation.RELU)
            .graphBuilder()
            .addInputs("input_1")
            .addLayer(
                "block1_conv1",
                new ConvolutionLayer.Builder(3, 3)
                    .stride(1, 1)
                    .padding(1, 1)
                    .nIn(3)
                    .nOut(4)
                    .build(),
                "input_1");
    String previous = "block1_conv1";
    for (int i = 1; i <= 5; i++) {
      String name = "block" + i + "_pool";
      b.addLayer(
          name,
          new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
              .kernelSize(2, 2)
              .stride(2, 2)
              .build(),
          previous);
      previous = name;
    }
    b.addLayer("fc1", new DenseLayer.Builder().nOut(4096).build(), previous);
    if (separateRelu) {
      b.addLayer(
          "fc2",
          new DenseLayer.Builder().nOut(4096).activation(Activation.IDENTITY).build(),
          "fc1");
      b.addLayer(
          "fc2_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "fc2");
      previous = "fc2_relu";
    } else {
      b.addLayer("fc2", new DenseLayer.Builder().nOut(4096).build(), "fc1");
      previous = "fc2";
    }
    b.addLayer(
        "predictions",
        new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
            .nOut(10)
            .activation(Activation.SOFTMAX)
            .build(),
        previous);
    ComputationGraph graph =
        new ComputationGraph(
            b.setOutputs("predictions")
                .setInputTypes(InputType.convolutional(224, 224, 3))
                .build());
    graph.init();
    return graph;
  }
}
