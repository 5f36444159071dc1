package com.fashionsearch.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VGG16 from a Keras weights-only HDF5 file, as {@code model.save_weights} writes it: the
 * keras-applications files {@code vgg16_weights_tf_dim_ordering_tf_kernels.h5} (with the dense
 * layers) and {@code ..._notop.h5} (the convolutions only). Each layer is found by its Keras name
 * and every shape is checked before any data is read; convolution kernels {@code (3, 3, in, out)}
 * become DL4J's {@code [out, in, 3, 3]}, and fc1's 25,088 rows, which Keras orders as the (H, W, C)
 * flattening of the 7x7x512 map, are reordered to the graph's (C, H, W) flattening.
 *
 * <p>Thread-safe (immutable); {@link #load} returns a new graph on every call.
 */
final class KerasVgg16Weights {
  private static final Logger LOG = LoggerFactory.getLogger(KerasVgg16Weights.class);

  /** One layer's two weights as the file names them. */
  private record LayerWeights(String layer, String kernel, String bias) {}

  private final Path file;
  private final Map<String, LayerWeights> layers; // in VGG16 order
  private final int classes; // 0 without the top

  private KerasVgg16Weights(Path file, Map<String, LayerWeights> layers, int classes) {
    this.file = file;
    this.layers = layers;
    this.classes = classes;
  }

  /** Whether the file holds fc1, fc2 and predictions (false for a {@code _notop} file). */
  boolean hasTop() {
    return classes > 0;
  }

  /**
   * Checks the file's layers and the shapes of their weights without reading the weights.
   *
   * @throws WeightsUnavailableException naming the first problem: not VGG16's layers (another
   *     network, VGG19's extra convolutions), a missing layer, a wrong shape, or an unreadable file
   */
  static KerasVgg16Weights check(Path file, KerasWeightsFile h5) {
    Map<String, List<String>> weighted = new LinkedHashMap<>();
    for (String layer : h5.layerNames()) {
      List<String> names = h5.weightNames(layer);
      if (!names.isEmpty()) {
        weighted.put(layer, names);
      }
    }
    List<String> expected = new ArrayList<>();
    Vgg16Graph.CONVS.forEach(c -> expected.add(c.name()));
    expected.addAll(Vgg16Graph.TOP);
    Set<String> unknown = new LinkedHashSet<>(weighted.keySet());
    unknown.removeAll(expected);
    if (!unknown.isEmpty()) {
      boolean anyVgg = Vgg16Graph.CONVS.stream().anyMatch(c -> weighted.containsKey(c.name()));
      if (!anyVgg) {
        throw problem(
            file,
            "not VGG16 weights: its layers with weights are "
                + firstFew(weighted.keySet())
                + ", VGG16's are block1_conv1 ... block5_conv3, fc1, fc2, predictions");
      }
      boolean vgg19 = unknown.stream().anyMatch(n -> n.matches("block[3-5]_conv4"));
      throw problem(
          file,
          "has layers VGG16 does not have: "
              + firstFew(unknown)
              + (vgg19 ? " (a VGG19 file?)" : ""));
    }
    List<String> missingConvs = new ArrayList<>();
    for (Vgg16Graph.Conv conv : Vgg16Graph.CONVS) {
      if (!weighted.containsKey(conv.name())) {
        missingConvs.add(conv.name());
      }
    }
    if (!missingConvs.isEmpty()) {
      throw problem(file, "VGG16 layer(s) missing: " + missingConvs);
    }
    List<String> top = Vgg16Graph.TOP.stream().filter(weighted::containsKey).toList();
    if (!top.isEmpty() && top.size() != Vgg16Graph.TOP.size()) {
      List<String> missing = new ArrayList<>(Vgg16Graph.TOP);
      missing.removeAll(top);
      throw problem(file, "has " + top + " but VGG16 layer(s) missing: " + missing);
    }
    Map<String, LayerWeights> layers = new LinkedHashMap<>();
    for (Vgg16Graph.Conv conv : Vgg16Graph.CONVS) {
      layers.put(
          conv.name(),
          checkLayer(
              file,
              h5,
              conv.name(),
              weighted.get(conv.name()),
              new long[] {3, 3, conv.in(), conv.out()}));
    }
    int classes = 0;
    if (!top.isEmpty()) {
      layers.put(
          "fc1",
          checkLayer(
              file,
              h5,
              "fc1",
              weighted.get("fc1"),
              new long[] {Vgg16Graph.FC1_INPUTS, Fc2Layer.WIDTH}));
      layers.put(
          "fc2",
          checkLayer(
              file, h5, "fc2", weighted.get("fc2"), new long[] {Fc2Layer.WIDTH, Fc2Layer.WIDTH}));
      LayerWeights predictions = pair(file, h5, "predictions", weighted.get("predictions"));
      long[] kernel = h5.shape("predictions", predictions.kernel());
      if (kernel.length != 2
          || kernel[0] != Fc2Layer.WIDTH
          || kernel[1] < 1
          || kernel[1] > Integer.MAX_VALUE) {
        throw shape(file, "predictions", "kernel", "[4096, classes]", kernel);
      }
      classes = (int) kernel[1];
      checkShape(file, h5, "predictions", "bias", predictions.bias(), new long[] {classes});
      layers.put("predictions", predictions);
    }
    return new KerasVgg16Weights(file, layers, classes);
  }

  private static LayerWeights checkLayer(
      Path file, KerasWeightsFile h5, String layer, List<String> names, long[] kernel) {
    LayerWeights weights = pair(file, h5, layer, names);
    checkShape(file, h5, layer, "kernel", weights.kernel(), kernel);
    checkShape(file, h5, layer, "bias", weights.bias(), new long[] {kernel[kernel.length - 1]});
    return weights;
  }

  /** The layer's kernel and bias: two weights, the bias being the one of rank 1. */
  private static LayerWeights pair(
      Path file, KerasWeightsFile h5, String layer, List<String> names) {
    if (names.size() != 2) {
      throw problem(
          file,
          "layer "
              + layer
              + " has "
              + names.size()
              + " weights "
              + names
              + ", expected a kernel and a bias");
    }
    boolean firstIsBias = h5.shape(layer, names.get(0)).length == 1;
    return firstIsBias
        ? new LayerWeights(layer, names.get(1), names.get(0))
        : new LayerWeights(layer, names.get(0), names.get(1));
  }

  private static void checkShape(
      Path file, KerasWeightsFile h5, String layer, String what, String name, long[] expected) {
    long[] found = h5.shape(layer, name);
    if (!Arrays.equals(found, expected)) {
      throw shape(file, layer, what, Arrays.toString(expected), found);
    }
  }

  private static WeightsUnavailableException shape(
      Path file, String layer, String what, String expected, long[] found) {
    return problem(
        file,
        "layer "
            + layer
            + " "
            + what
            + " has shape "
            + Arrays.toString(found)
            + ", expected "
            + expected);
  }

  private static String firstFew(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    return list.size() <= 6
        ? list.toString()
        : list.subList(0, 6) + " and " + (list.size() - 6) + " more";
  }

  private static WeightsUnavailableException problem(Path file, String what) {
    return new WeightsUnavailableException(
        "weights file " + file.toAbsolutePath() + " " + what, null);
  }

  /**
   * Reads the weights of the file this came from ({@link #check}) into a new graph ({@link
   * Vgg16Graph}): with fc1, fc2 and predictions if the file has them, else up to {@code
   * block5_pool}.
   *
   * @param h5 the file {@link #check} read, still open
   * @throws WeightsUnavailableException if the data cannot be read (a truncated file)
   */
  ComputationGraph load(KerasWeightsFile h5) {
    long start = System.nanoTime();
    ComputationGraph graph = Vgg16Graph.uninitialised(classes);
    try {
      for (LayerWeights weights : layers.values()) {
        set(graph, h5, weights);
      }
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    LOG.info(
        "read {} VGG16 layers{} from Keras weights file {} ({} ms)",
        layers.size(),
        hasTop() ? "" : " (convolutions only)",
        file.getFileName(),
        (System.nanoTime() - start) / 1_000_000);
    return graph;
  }

  private static void set(ComputationGraph graph, KerasWeightsFile h5, LayerWeights weights) {
    var layer = graph.getLayer(weights.layer());
    try (INDArray kernel = h5.read(weights.layer(), weights.kernel());
        INDArray bias = h5.read(weights.layer(), weights.bias())) {
      if (kernel.rank() == 4) {
        layer.setParam("W", kernel.permute(3, 2, 0, 1)); // (kH, kW, in, out) -> [out, in, kH, kW]
      } else if (weights.layer().equals("fc1")) {
        try (INDArray chw = hwcRowsToChw(kernel)) {
          layer.setParam("W", chw);
        }
      } else {
        layer.setParam("W", kernel);
      }
      layer.setParam("b", bias.reshape(layer.getParam("b").shape()));
    }
  }

  /**
   * fc1's rows from Keras' (H, W, C) flattening of the 7x7x512 map to DL4J's NCHW (C, H, W) one.
   */
  static INDArray hwcRowsToChw(INDArray kernel) {
    int s = Vgg16Graph.POOL5_SIDE;
    int c = Vgg16Graph.POOL5_CHANNELS;
    long out = kernel.size(1);
    INDArray chw =
        Nd4j.createUninitialized(kernel.dataType(), new long[] {(long) c * s * s, out}, 'c');
    chw.reshape('c', c, s, s, out).assign(kernel.reshape('c', s, s, c, out).permute(2, 0, 1, 3));
    return chw;
  }
}
