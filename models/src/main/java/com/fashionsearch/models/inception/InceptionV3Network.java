package com.fashionsearch.models.inception;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.config.KerasModelConfiguration;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Keras Inception v3 in TensorFlow.js format ({@code model.json} with {@code modelTopology} and
 * {@code weightsManifest}, weights in shard files beside it) cut at a layer: the topology's layers
 * up to and including {@code cutLayer} are imported with Deeplearning4j's Keras import (the rest of
 * the JSON is dropped before the import, so layers DL4J would not import never matter), and their
 * weights are read from the shards ({@link TfjsWeights}) and copied in through the Keras import's
 * own per-layer conversion (kernel layouts, batch normalisation without a scale). The imported
 * network is then compiled to an {@link NhwcGraph} (batch normalisation and ReLU folded into the
 * convolutions), which computes {@link #featureMap}. Activations are NHWC.
 *
 * <p>Not thread-safe: a DL4J network has one owner.
 */
public final class InceptionV3Network implements AutoCloseable {
  /** The layer whose output is the feature map: the last one that keeps its ImageNet weights. */
  public static final String MIXED5 = "mixed5";

  private final ComputationGraph graph;
  private final NhwcGraph compiled;
  private final int side;
  private final String output;

  private InceptionV3Network(ComputationGraph graph, int side, String output) {
    this.graph = graph;
    this.compiled = NhwcGraph.compile(graph);
    this.side = side;
    this.output = output;
  }

  /**
   * Imports {@code modelJson}'s topology up to {@code cutLayer} with the weights of its shards.
   *
   * @throws IllegalArgumentException if the file is not a Keras layers model in TensorFlow.js
   *     format, has no layer {@code cutLayer}, lacks weights of a layer that has parameters, or
   *     DL4J cannot import the topology (with DL4J's reason)
   * @throws UncheckedIOException if a file cannot be read
   */
  public static InceptionV3Network load(Path modelJson, String cutLayer) {
    ObjectMapper json = new ObjectMapper();
    JsonNode root;
    try {
      root = json.readTree(Files.readString(modelJson));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + modelJson.toAbsolutePath(), e);
    }
    JsonNode modelConfig = root.path("modelTopology").path("model_config");
    JsonNode layers = modelConfig.path("config").path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException(
          modelJson
              + " has no modelTopology.model_config.config.layers: not a TensorFlow.js layers"
              + " model");
    }
    ArrayNode kept = json.createArrayNode();
    Set<String> keptNames = new HashSet<>();
    Map<String, String> classOf = new LinkedHashMap<>();
    boolean found = false;
    for (JsonNode layer : layers) {
      kept.add(layer);
      String name = layer.path("name").asText();
      keptNames.add(name);
      classOf.put(name, layer.path("class_name").asText());
      if (name.equals(cutLayer)) {
        found = true;
        break;
      }
    }
    if (!found) {
      throw new IllegalArgumentException(modelJson + " has no layer '" + cutLayer + "'");
    }
    JsonNode batchShape = layers.get(0).path("config").path("batch_input_shape");
    int side = batchShape.path(1).asInt(-1);
    if (batchShape.size() != 4
        || side <= 0
        || batchShape.path(2).asInt() != side
        || batchShape.path(3).asInt() != 3) {
      throw new IllegalArgumentException(
          modelJson
              + ": expected a square RGB input [null, side, side, 3], the first layer has "
              + batchShape);
    }
    ObjectNode truncated = modelConfig.deepCopy();
    ObjectNode config = (ObjectNode) truncated.get("config");
    config.set("layers", kept);
    ArrayNode outputs = json.createArrayNode();
    outputs.add(json.createArrayNode().add(cutLayer).add(0).add(0));
    config.set("output_layers", outputs);
    truncated.put(
        "keras_version", root.path("modelTopology").path("keras_version").asText("2.2.4"));
    truncated.put("backend", root.path("modelTopology").path("backend").asText("tensorflow"));

    TfjsWeights weights =
        TfjsWeights.read(
            root.get("weightsManifest"), modelJson.toAbsolutePath().getParent(), keptNames);
    KerasModel keras;
    try (KerasModelBuilder builder = new KerasModelBuilder(new KerasModelConfiguration())) {
      keras =
          builder
              .modelJson(json.writeValueAsString(truncated))
              .enforceTrainingConfig(false)
              .buildModel();
      for (Map.Entry<String, String> e : classOf.entrySet()) {
        Map<String, TfjsWeights.Tensor> params = weights.ofLayer(e.getKey());
        boolean hasParams =
            e.getValue().equals("Conv2D")
                || e.getValue().equals("BatchNormalization")
                || e.getValue().equals("Dense");
        if (hasParams && params.isEmpty()) {
          throw new IllegalArgumentException(
              modelJson
                  + ": layer '"
                  + e.getKey()
                  + "' ("
                  + e.getValue()
                  + ") has no weights in the manifest");
        }
        if (params.isEmpty()) {
          continue;
        }
        KerasLayer layer = keras.getLayers().get(e.getKey());
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, TfjsWeights.Tensor> p : params.entrySet()) {
          long[] shape = Arrays.stream(p.getValue().shape()).asLongStream().toArray();
          arrays.put(p.getKey(), Nd4j.create(p.getValue().values(), shape, 'c'));
        }
        layer.setWeights(arrays);
      }
      ComputationGraph graph = keras.getComputationGraph(true);
      return new InceptionV3Network(graph, side, cutLayer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot import the topology of " + modelJson, e);
    } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
      throw new IllegalArgumentException(
          "DL4J cannot import the topology of "
              + modelJson
              + " up to '"
              + cutLayer
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /** The input side in pixels (299). */
  public int inputSide() {
    return side;
  }

  /**
   * The cut layer's output {@code [N, H, W, C]} for an NHWC input of real values in [-1, 1],
   * computed by the {@link NhwcGraph} compiled from the imported network.
   *
   * @throws IllegalArgumentException for an input that is not {@code [N, side, side, 3]}
   */
  public INDArray featureMap(INDArray input) {
    requireInput(input);
    return compiled.output(input);
  }

  /**
   * The same as {@link #featureMap}, computed by DL4J's own layers: the reference the compiled
   * graph is checked against.
   */
  public INDArray featureMapByDl4j(INDArray input) {
    requireInput(input);
    return graph.outputSingle(false, input);
  }

  /**
   * The outputs of the named layers (for checks against a reference computation); runs the whole
   * network.
   *
   * @throws IllegalArgumentException for a wrong input shape or a layer the network does not have
   */
  public Map<String, INDArray> activations(INDArray input, List<String> layers) {
    requireInput(input);
    Map<String, INDArray> all = graph.feedForward(input, false);
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : layers) {
      INDArray a = all.get(name);
      if (a == null) {
        throw new IllegalArgumentException("the network has no layer '" + name + "'");
      }
      out.put(name, a.dup());
    }
    return out;
  }

  /** The name of the layer whose output {@link #featureMap} returns. */
  public String outputLayer() {
    return output;
  }

  private void requireInput(INDArray input) {
    long[] s = input.shape();
    if (s.length != 4 || s[1] != side || s[2] != side || s[3] != 3) {
      throw new IllegalArgumentException(
          "input must be [N, " + side + ", " + side + ", 3], got " + Arrays.toString(s));
    }
  }

  @Override
  public void close() {
    compiled.close();
    graph.close();
  }
}
