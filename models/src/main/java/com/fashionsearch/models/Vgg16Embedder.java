package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VGG16's {@code fc2} (the second 4096-unit dense layer, after its ReLU; model {@code vgg16}) or
 * its pooled {@code block5_pool} map (model {@code vgg16-pool5}, see {@link Vgg16Features}) on
 * Deeplearning4j, computed only up to that layer and L2-normalised.
 *
 * <p>Two engines compute the same vectors: {@code direct} (default), libnd4j's ops driven directly
 * ({@link DirectVgg16Network}), and {@code graph}, DL4J's ComputationGraph; choose with the system
 * property {@value #ENGINE_PROPERTY}. If the direct engine cannot reproduce a graph (an unusual
 * weights file), the graph engine runs instead and the log says so.
 *
 * <p>Not thread-safe: one owner, like any network.
 */
public final class Vgg16Embedder implements ImageEmbedder {
  /** The system property that selects the engine: {@code direct} or {@code graph}. */
  public static final String ENGINE_PROPERTY = "fashion.vgg16.engine";

  /** The model id of fc2. */
  public static final String MODEL_ID = "vgg16";

  private static final Logger LOG = LoggerFactory.getLogger(Vgg16Embedder.class);

  /** The two ways to run the network. */
  public enum Engine {
    DIRECT,
    GRAPH;

    /** The engine the system property asks for, {@link #DIRECT} when unset. */
    public static Engine fromSystemProperty() {
      String value = System.getProperty(ENGINE_PROPERTY, "direct").strip().toLowerCase(Locale.ROOT);
      return switch (value) {
        case "direct" -> DIRECT;
        case "graph" -> GRAPH;
        default ->
            throw new IllegalArgumentException(
                "-D" + ENGINE_PROPERTY + " must be 'direct' or 'graph', got: '" + value + "'");
      };
    }
  }

  private final Vgg16Features features;
  private final String weightsId;
  private final boolean pretrained;
  private final Vgg16Input input;
  private final Engine engine;
  private final ComputationGraph graph; // null with the direct engine
  private final DirectVgg16Network direct; // null with the graph engine
  private final boolean graphWantsNhwc;

  /**
   * Loads the weights and builds the engine the system property asks for.
   *
   * @throws WeightsUnavailableException if the weights cannot be had
   */
  public Vgg16Embedder(Vgg16Weights weights, ResizeMode resize) {
    this(weights, resize, Engine.fromSystemProperty());
  }

  /**
   * @throws WeightsUnavailableException if the weights cannot be had
   */
  public Vgg16Embedder(Vgg16Weights weights, ResizeMode resize, Engine engine) {
    this(weights.resolve(), resize, engine);
  }

  /**
   * Builds the network for weights already resolved (their identity checked, an untrained warning
   * logged): see {@link #deferred}.
   *
   * @throws WeightsUnavailableException if the weights cannot be read as a VGG16 model
   */
  public Vgg16Embedder(Vgg16Weights.Resolved weights, ResizeMode resize, Engine engine) {
    this(weights, resize, engine, Vgg16Features.FC2);
  }

  /**
   * Builds the network for weights already resolved, with the given features.
   *
   * @throws WeightsUnavailableException if the weights cannot be read as a VGG16 model, or lack the
   *     dense layers fc2 needs
   */
  public Vgg16Embedder(
      Vgg16Weights.Resolved weights, ResizeMode resize, Engine engine, Vgg16Features features) {
    this(load(weights, features), resize, engine, features);
  }

  private static Vgg16Weights.Loaded load(Vgg16Weights.Resolved weights, Vgg16Features features) {
    requireDenseLayers(weights, features);
    NativeBackend.logOnce();
    return weights.load();
  }

  /** fc2 needs fc1 and fc2: refuse a file of convolutions only before reading it. */
  private static void requireDenseLayers(Vgg16Weights.Resolved weights, Vgg16Features features) {
    if (features == null) {
      throw new IllegalArgumentException("features must not be null");
    }
    if (!features.pooled() && weights.convolutionsOnly()) {
      throw new WeightsUnavailableException(
          "weights "
              + weights.weightsId()
              + " hold VGG16's convolutions only (no fc1, fc2: a Keras _notop file), and model "
              + MODEL_ID
              + " needs fc2: use --model "
              + Vgg16Features.POOL5_MODEL_ID
              + " with this file, or the file with the dense layers",
          null);
    }
  }

  /**
   * An embedder with these weights whose network is built on its first embedding: the weights are
   * resolved now ({@link Vgg16Weights#resolve()}: missing files, failed checksums and an untrained
   * warning happen here), the 138M parameters are initialised or read only when needed.
   *
   * @throws WeightsUnavailableException if the weights cannot be had
   * @throws IllegalArgumentException if the engine property is malformed
   */
  public static LazyEmbedder deferred(Vgg16Weights weights, ResizeMode resize) {
    return deferred(weights, resize, Vgg16Features.FC2);
  }

  /**
   * {@link #deferred(Vgg16Weights, ResizeMode)} with the given features; fc2 from a file of
   * convolutions only fails here, before anything is built.
   *
   * @throws WeightsUnavailableException if the weights cannot be had
   * @throws IllegalArgumentException if the engine property is malformed
   */
  public static LazyEmbedder deferred(
      Vgg16Weights weights, ResizeMode resize, Vgg16Features features) {
    Engine engine = Engine.fromSystemProperty();
    Vgg16Weights.Resolved resolved = weights.resolve();
    requireDenseLayers(resolved, features);
    EmbedderIdentity identity =
        new EmbedderIdentity(
            features.modelId(),
            resolved.weightsId(),
            resolved.pretrained(),
            features.dimension(),
            features.preprocessing(new Vgg16Input(resize, resolved.normalization()).id()));
    return new LazyEmbedder(identity, () -> new Vgg16Embedder(resolved, resize, engine, features));
  }

  /** From an already loaded graph, which this embedder takes over (and closes): fc2. */
  Vgg16Embedder(Vgg16Weights.Loaded loaded, ResizeMode resize, Engine engine) {
    this(loaded, resize, engine, Vgg16Features.FC2);
  }

  /** From an already loaded graph, which this embedder takes over (and closes). */
  Vgg16Embedder(
      Vgg16Weights.Loaded loaded, ResizeMode resize, Engine engine, Vgg16Features features) {
    if (engine == null || features == null) {
      throw new IllegalArgumentException(
          "engine and features must not be null, got: " + engine + ", " + features);
    }
    this.features = features;
    this.input = new Vgg16Input(resize, loaded.normalization());
    this.weightsId = loaded.weightsId();
    this.pretrained = loaded.pretrained();
    ComputationGraph truncated =
        features.pooled() ? Pool5Layer.truncate(loaded.graph()) : Fc2Layer.truncate(loaded.graph());
    if (truncated != loaded.graph()) {
      loaded.graph().close();
    }
    DirectVgg16Network net = null;
    Engine chosen = engine;
    if (engine == Engine.DIRECT) {
      try {
        net = DirectVgg16Network.from(truncated);
      } catch (UnsupportedOperationException e) {
        LOG.warn("{}; running the (slower) graph engine instead", e.getMessage());
        chosen = Engine.GRAPH;
      }
    }
    this.engine = chosen;
    this.direct = net;
    if (chosen == Engine.DIRECT) {
      truncated.close();
      this.graph = null;
      this.graphWantsNhwc = false;
    } else {
      this.graph = truncated;
      this.graphWantsNhwc = firstConvIsNhwc(truncated);
    }
    LOG.info(
        "VGG16 {} embedder: weights {}{}, engine {}, preprocessing {}",
        features.modelId(),
        weightsId,
        pretrained ? "" : " (UNTRAINED)",
        this.engine.name().toLowerCase(Locale.ROOT),
        preprocessing());
  }

  private static boolean firstConvIsNhwc(ComputationGraph graph) {
    for (String name : Fc2Layer.topologicalNames(graph)) {
      Layer layer = Fc2Layer.layerOf(graph.getConfiguration(), name);
      if (layer instanceof ConvolutionLayer conv) {
        return conv.getCnn2dDataFormat() == CNN2DFormat.NHWC;
      }
    }
    return false;
  }

  /** The engine that runs. */
  public Engine engine() {
    return engine;
  }

  @Override
  public String modelId() {
    return features.modelId();
  }

  @Override
  public String weightsId() {
    return weightsId;
  }

  @Override
  public boolean pretrained() {
    return pretrained;
  }

  @Override
  public String preprocessing() {
    return features.preprocessing(input.id());
  }

  @Override
  public int dimension() {
    return features.dimension();
  }

  /** Which features this embedder outputs. */
  public Vgg16Features features() {
    return features;
  }

  /** The preprocessing, for callers that prepare batches themselves. */
  public Vgg16Input input() {
    return input;
  }

  @Override
  public float[][] embed(List<BufferedImage> images) {
    if (images == null) {
      throw new IllegalArgumentException("images must not be null");
    }
    if (images.isEmpty()) {
      return new float[0][];
    }
    INDArray out;
    boolean nhwc;
    if (engine == Engine.DIRECT) {
      try (INDArray x = input.nhwc(images)) {
        out = direct.output(x);
      }
      nhwc = true;
    } else {
      try (INDArray x = graphWantsNhwc ? input.nhwc(images) : input.nchw(images)) {
        out = graph.outputSingle(false, x);
      }
      nhwc = graphWantsNhwc;
    }
    try (INDArray f = out) {
      if (!features.pooled()) {
        return normalised(f.castTo(DataType.FLOAT).toFloatMatrix());
      }
      // [N, 7, 7, 512] from the direct engine, [N, 512, 7, 7] from an NCHW graph
      try (INDArray map = (nhwc ? f : f.permute(0, 2, 3, 1)).castTo(DataType.FLOAT).dup('c')) {
        int n = (int) map.size(0);
        int positions = (int) (map.size(1) * map.size(2));
        return normalised(features.pool(map.data().asFloat(), n, positions, (int) map.size(3)));
      }
    }
  }

  /** L2-normalises each row in place; an all-zero row stays zero. */
  static float[][] normalised(float[][] rows) {
    for (float[] row : rows) {
      UnitLength.normalise(row);
    }
    return rows;
  }

  @Override
  public void close() {
    if (graph != null) {
      graph.close();
    }
    if (direct != null) {
      direct.close();
    }
  }
}
