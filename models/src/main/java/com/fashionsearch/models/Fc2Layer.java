package com.fashionsearch.models;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * Finds VGG16's {@code fc2} by structure, not by name: the second dense layer with 4096 outputs in
 * topological order, taken after its ReLU (in the layer, or in an activation layer right after it).
 * The untrained zoo graph numbers its layers ({@code "19"}), the pretrained one names it {@code
 * fc2}; both are found the same way. Thread-safe (stateless).
 */
public final class Fc2Layer {
  /** The width of VGG16's fully connected layers. */
  public static final int WIDTH = 4096;

  private Fc2Layer() {}

  /**
   * The name of the vertex whose output is fc2 after its ReLU.
   *
   * @throws IllegalArgumentException if the graph has no such layer
   */
  public static String find(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    List<String> order = topologicalNames(graph);
    List<String> wide = new ArrayList<>();
    for (String name : order) {
      if (layerOf(conf, name) instanceof DenseLayer dense && dense.getNOut() == WIDTH) {
        wide.add(name);
      }
    }
    if (wide.size() < 2) {
      throw new IllegalArgumentException(
          "not a VGG16 graph: expected two dense layers of "
              + WIDTH
              + " outputs (fc1, fc2), found "
              + wide
              + " among vertices "
              + order);
    }
    String fc2 = wide.get(1);
    if (isRelu(((DenseLayer) layerOf(conf, fc2)).getActivationFn())) {
      return fc2;
    }
    List<String> consumers = consumers(conf, fc2);
    if (consumers.size() == 1
        && layerOf(conf, consumers.get(0)) instanceof ActivationLayer act
        && isRelu(act.getActivationFn())) {
      return consumers.get(0);
    }
    throw new IllegalArgumentException(
        "fc2 layer '"
            + fc2
            + "' has activation "
            + ((DenseLayer) layerOf(conf, fc2)).getActivationFn()
            + " and no ReLU after it; consumers: "
            + consumers);
  }

  /**
   * A new graph that computes only up to fc2 (after its ReLU) and outputs it; the layers after fc2
   * (the classifier) are gone, so they are neither stored nor computed.
   */
  public static ComputationGraph truncate(ComputationGraph graph) {
    return truncateAt(graph, find(graph));
  }

  /** A new graph that computes only up to the vertex {@code last} and outputs it. */
  static ComputationGraph truncateAt(ComputationGraph graph, String last) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    Set<String> keep = ancestorsAndSelf(conf, last);
    TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(graph);
    List<String> order = topologicalNames(graph);
    for (int i = order.size() - 1; i >= 0; i--) {
      String name = order.get(i);
      if (!keep.contains(name) && !conf.getNetworkInputs().contains(name)) {
        builder.removeVertexAndConnections(name);
      }
    }
    return builder.setOutputs(last).build();
  }

  /** Vertex names in the graph's topological order. */
  static List<String> topologicalNames(ComputationGraph graph) {
    List<String> names = new ArrayList<>();
    for (int index : graph.topologicalSortOrder()) {
      names.add(graph.getVertices()[index].getVertexName());
    }
    return names;
  }

  /** The layer configuration of a vertex, or null for a vertex without a layer. */
  static Layer layerOf(ComputationGraphConfiguration conf, String name) {
    GraphVertex vertex = conf.getVertices().get(name);
    return vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
  }

  private static boolean isRelu(IActivation activation) {
    return activation instanceof ActivationReLU relu
        && relu.getMax() == null
        && (relu.getThreshold() == null || relu.getThreshold() == 0.0)
        && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0.0);
  }

  private static List<String> consumers(ComputationGraphConfiguration conf, String name) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
      if (e.getValue().contains(name)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private static Set<String> ancestorsAndSelf(ComputationGraphConfiguration conf, String name) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (seen.add(v)) {
        todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
      }
    }
    return seen;
  }
}
