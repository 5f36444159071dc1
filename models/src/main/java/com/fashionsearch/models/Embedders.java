package com.fashionsearch.models;

import com.fashionsearch.models.histogram.ColorHistogramEmbedder;
import com.fashionsearch.models.inception.InceptionMixed5Embedder;
import com.fashionsearch.models.mobilenet.MobileNetEmbedder;
import com.fashionsearch.models.mobilenet.MobileNetVariant;
import java.util.List;
import java.util.Locale;

/**
 * Creates an {@link ImageEmbedder} from the command line's {@code --model} and {@code --weights}.
 * Thread-safe (stateless).
 */
public final class Embedders {
  /** The default model. */
  public static final String DEFAULT_MODEL = "vgg16";

  /**
   * The pretrained networks {@code --model auto} tries when the zoo's VGG16 weights cannot be had,
   * best first (see {@link AutoModel}): the one place that orders them. Under the default learned
   * projection, MobileNet v1 and EdgeTPU tie on articleType (0.761 and 0.767, 5-fold held-out on
   * fashion-5k) while v1 keeps colour far better (0.384 against 0.332 for articleType+baseColour)
   * and embeds 2-3 times faster; without labels EdgeTPU and v3 lead (docs/benchmarks-history.md,
   * "Stronger networks under the projection").
   */
  public static final List<String> PREFERRED_PRETRAINED =
      List.of("mobilenet-v1", "mobilenet-edgetpu", "mobilenet-v3", "mobilenet-v2");

  private Embedders() {}

  /** The model ids {@link #create} accepts. */
  public static List<String> models() {
    return List.of(
        "vgg16",
        Vgg16Features.POOL5_MODEL_ID,
        "mobilenet-v1",
        "mobilenet-v2",
        "mobilenet-edgetpu",
        "mobilenet-v3",
        "inception-v3-mixed5",
        "histogram");
  }

  /**
   * The default resize mode of every model (see docs/benchmarks-history.md: "Embedding speed" for
   * VGG16, and "Towards the 0.75 goal" for MobileNet v1, where crop and pad tie).
   */
  public static final ResizeMode DEFAULT_RESIZE = ResizeMode.PAD;

  /**
   * Whether new MobileNet (and Inception) embeddings are power-normalised (square root before L2):
   * +0.8 points of P@10 on fashion-5k with MobileNet v1, see docs/benchmarks-history.md, "Towards
   * the 0.75 goal".
   */
  public static final boolean MOBILENET_POWER = true;

  /**
   * For new MobileNet embeddings: how many intermediate layers to add ({@link
   * MobileNetVariant#intermediateTensors()}), {@code -1} for every one the variant lists (v1:
   * blocks 12 down to 9; the others none). A learned projection reads them; an index without one
   * holds the network's own embedding alone. Under the projection, v1's four layers raise
   * P@10[articleType] and P@10[articleType+baseColour] on 5-fold held-out queries of fashion-5k and
   * on a separate held-out catalog; blocks 8 to 6 as well raise the first but not the second
   * (docs/benchmarks-history.md, "Intermediate layers for the learned projection").
   */
  public static final int MOBILENET_INTERMEDIATES = -1;

  /**
   * The resize mode named by an index's recorded preprocessing id (as {@link
   * ImageEmbedder#preprocessing()} wrote it: {@code resize=crop}, {@code pad-224-bgr-vggmean}). An
   * empty id (an index that predates the record) and an id naming no mode mean {@link
   * ResizeMode#PAD}, the only mode indexes were built with before.
   */
  public static ResizeMode resizeOf(String preprocessing) {
    if (preprocessing != null) {
      for (String token : preprocessing.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        for (ResizeMode mode : ResizeMode.values()) {
          if (mode.id().equals(token)) {
            return mode;
          }
        }
      }
    }
    return ResizeMode.PAD;
  }

  /**
   * Creates the model with the {@link #DEFAULT_RESIZE}.
   *
   * @param model a model id from {@link #models()}
   * @param weights {@code zoo}, {@code random[:SEED]} or a file path (MobileNet: {@code zoo} or a
   *     {@code .tflite} file, see {@link MobileNetEmbedder#open}; histogram: {@code none})
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder create(String model, String weights) {
    return create(model, weights, DEFAULT_RESIZE);
  }

  /**
   * Creates the model with {@code resize}, MobileNets with power normalisation ({@link
   * #MOBILENET_POWER}).
   *
   * @param model a model id from {@link #models()}
   * @param weights {@code zoo}, {@code random[:SEED]} or a file path
   * @param resize how a non-square photo becomes the network's square input
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder create(String model, String weights, ResizeMode resize) {
    return create(model, weights, resize, MOBILENET_POWER);
  }

  /**
   * Creates the embedder that reproduces an index's recorded preprocessing id: its resize mode
   * ({@link #resizeOf}), for a MobileNet whether it was power-normalised, for {@code vgg16-pool5}
   * its pooling ({@link Vgg16Features#pool5Recorded}). An empty id (an index that predates the
   * record) means pad without power normalisation, as indexes were built.
   *
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder createAsRecorded(String model, String weights, String preprocessing) {
    if (model != null && model.equalsIgnoreCase(Vgg16Features.POOL5_MODEL_ID)) {
      modelId(model);
      return new Vgg16Embedder(
          Vgg16Weights.parse(weights).resolve(),
          resizeOf(preprocessing),
          Vgg16Embedder.Engine.fromSystemProperty(),
          Vgg16Features.pool5Recorded(preprocessing));
    }
    boolean power = preprocessing != null && preprocessing.contains(MobileNetEmbedder.POWER_ID);
    return create(
        model,
        weights,
        resizeOf(preprocessing),
        power,
        MobileNetEmbedder.intermediatesOf(preprocessing));
  }

  /**
   * Like {@link #create(String, String, ResizeMode)}, but the network is built on the first
   * embedding (or {@link ImageEmbedder#ensureBuilt()}), not now: for runs that may find every
   * vector in a cache. The identity and everything that can fail without building the network (a
   * malformed spec, a missing file, a failed checksum, the untrained-weights warning) happen now,
   * as with {@link #create}. The histogram has no network and is returned as it is.
   *
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder deferred(String model, String weights, ResizeMode resize) {
    return deferred(model, weights, resize, MOBILENET_POWER);
  }

  /**
   * {@link #deferred(String, String, ResizeMode)} with the power normalisation of MobileNets given.
   *
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder deferred(
      String model, String weights, ResizeMode resize, boolean mobileNetPower) {
    return deferred(model, weights, resize, mobileNetPower, MOBILENET_INTERMEDIATES);
  }

  /**
   * {@link #deferred(String, String, ResizeMode, boolean)} with the number of intermediate layers
   * of a MobileNet given ({@code -1}: every one its variant lists; ignored by other models).
   *
   * @throws IllegalArgumentException for an unknown model, a malformed weights spec, or more
   *     intermediate layers than the MobileNet has
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder deferred(
      String model,
      String weights,
      ResizeMode resize,
      boolean mobileNetPower,
      int mobileNetIntermediates) {
    String id = modelId(model);
    return switch (id) {
      case "vgg16" -> Vgg16Embedder.deferred(Vgg16Weights.parse(weights), resize);
      case Vgg16Features.POOL5_MODEL_ID ->
          Vgg16Embedder.deferred(
              Vgg16Weights.parse(weights), resize, Vgg16Features.pool5FromSystemProperty());
      case "mobilenet-v1", "mobilenet-v2", "mobilenet-edgetpu", "mobilenet-v3" ->
          MobileNetEmbedder.deferred(
              MobileNetVariant.ofModelId(id),
              weights,
              resize,
              mobileNetPower,
              intermediates(id, mobileNetIntermediates));
      case InceptionMixed5Embedder.MODEL_ID ->
          InceptionMixed5Embedder.deferred(weights, resize, mobileNetPower);
      default -> create(model, weights, resize, mobileNetPower, mobileNetIntermediates);
    };
  }

  /** {@code count}, or for {@code -1} every intermediate layer the MobileNet {@code id} lists. */
  private static int intermediates(String id, int count) {
    return count >= 0 ? count : MobileNetVariant.ofModelId(id).intermediateTensors().size();
  }

  /** The lower-case model id, after {@link NativeBackend#select()}. */
  private static String modelId(String model) {
    NativeBackend.select();
    if (model == null) {
      throw new IllegalArgumentException(
          "model must not be null (known: " + String.join(", ", models()) + ")");
    }
    return model.toLowerCase(Locale.ROOT);
  }

  /**
   * @param model a model id from {@link #models()}
   * @param weights {@code zoo}, {@code random[:SEED]} or a file path
   * @param resize how a non-square photo becomes the network's square input
   * @param mobileNetPower MobileNets and Inception only: power-normalise the pooled features
   *     (ignored by others)
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder create(
      String model, String weights, ResizeMode resize, boolean mobileNetPower) {
    return create(model, weights, resize, mobileNetPower, MOBILENET_INTERMEDIATES);
  }

  /**
   * {@link #create(String, String, ResizeMode, boolean)} with the number of intermediate layers of
   * a MobileNet given ({@code -1}: every one its variant lists; ignored by other models).
   *
   * @throws IllegalArgumentException for an unknown model, a malformed weights spec, or more
   *     intermediate layers than the MobileNet has
   * @throws WeightsUnavailableException if the weights cannot be had (offline, missing file)
   */
  public static ImageEmbedder create(
      String model,
      String weights,
      ResizeMode resize,
      boolean mobileNetPower,
      int mobileNetIntermediates) {
    String id = modelId(model);
    switch (id) {
      case "vgg16":
        return new Vgg16Embedder(Vgg16Weights.parse(weights), resize);
      case Vgg16Features.POOL5_MODEL_ID:
        return new Vgg16Embedder(
            Vgg16Weights.parse(weights).resolve(),
            resize,
            Vgg16Embedder.Engine.fromSystemProperty(),
            Vgg16Features.pool5FromSystemProperty());
      case "mobilenet-v1", "mobilenet-v2", "mobilenet-edgetpu", "mobilenet-v3":
        return MobileNetEmbedder.open(
            MobileNetVariant.ofModelId(id),
            weights,
            resize,
            mobileNetPower,
            intermediates(id, mobileNetIntermediates));
      case InceptionMixed5Embedder.MODEL_ID:
        return InceptionMixed5Embedder.open(weights, resize, mobileNetPower);
      case "histogram":
        return ColorHistogramEmbedder.forWeights(weights);
      default:
        throw new IllegalArgumentException(
            "unknown model: '" + model + "' (known: " + String.join(", ", models()) + ")");
    }
  }
}
