package com.fashionsearch.models;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Finds VGG16's last pooling ({@code block5_pool}, the 7x7x512 map) by structure: the last
 * subsampling layer before the first dense layer in topological order, or the last one of a graph
 * without dense layers (a Keras {@code _notop} file). Thread-safe (stateless).
 */
final class Pool5Layer {
  private Pool5Layer() {}

  /**
   * The name of the vertex whose output is pool5.
   *
   * @throws IllegalArgumentException if the graph has no pooling before its dense layers
   */
  static String find(ComputationGraph graph) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    List<String> order = Fc2Layer.topologicalNames(graph);
    String last = null;
    for (String name : order) {
      Layer layer = Fc2Layer.layerOf(conf, name);
      if (layer instanceof DenseLayer) {
        break;
      }
      if (layer instanceof SubsamplingLayer) {
        last = name;
      }
    }
    if (last == null) {
      throw new IllegalArgumentException(
          "not a VGG16 graph: no pooling layer before the dense layers among " + order);
    }
    return last;
  }

  /**
   * A graph that computes only up to pool5 and outputs it: the graph itself when that is already
   * its only output, else a new one without the layers after pool5.
   */
  static ComputationGraph truncate(ComputationGraph graph) {
    String pool5 = find(graph);
    if (graph.getConfiguration().getNetworkOutputs().equals(List.of(pool5))) {
      return graph;
    }
    return Fc2Layer.truncateAt(graph, pool5);
  }
}
