package com.fashionsearch.models;

import com.fashionsearch.models.mobilenet.MobileNetFiles;
import com.fashionsearch.models.mobilenet.MobileNetVariant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * What {@code --model auto} means: the best real (pretrained) weights at hand. VGG16 with the DL4J
 * zoo's ImageNet weights when they are cached or their server answers within a short timeout (the
 * first reindex then downloads them once); else the first model of {@link
 * Embedders#PREFERRED_PRETRAINED} whose pretrained file is on this machine. Never untrained
 * weights: those only when asked for ({@code --model vgg16 --weights random}). Thread-safe
 * (stateless).
 */
public final class AutoModel {
  /** The {@code --model} value that asks for this choice. */
  public static final String AUTO = "auto";

  /** How long the zoo's server may take to answer before it counts as unreachable. */
  public static final Duration ZOO_TIMEOUT = Duration.ofSeconds(3);

  /**
   * A chosen model and weights spec, and why.
   *
   * @param model a model id of {@link Embedders#models()}
   * @param weights the weights spec to give {@link Embedders#create}
   * @param reason one line saying why these
   */
  public record Choice(String model, String weights, String reason) {
    /** {@code model M, weights W (reason)}. */
    public String describe() {
      return "model " + model + ", weights " + weights + " (" + reason + ")";
    }
  }

  private AutoModel() {}

  /** True when {@code model} is {@link #AUTO} (or absent). */
  public static boolean isAuto(String model) {
    return model == null || model.isBlank() || model.strip().equalsIgnoreCase(AUTO);
  }

  /**
   * The best weights at hand on this machine, checking the zoo's server with {@link #ZOO_TIMEOUT}.
   *
   * @throws WeightsUnavailableException when no pretrained weights can be had, saying where it
   *     looked
   */
  public static Choice choose() {
    return choose(zooWeightsCached(), () -> zooReachable(ZOO_TIMEOUT), AutoModel::pretrainedAtHand);
  }

  /**
   * The choice, given what is at hand.
   *
   * @param vggCached whether the zoo's VGG16 weights are cached
   * @param zooReachable asked only when they are not: whether they could be downloaded
   * @param atHand the weights spec of a model id's pretrained file on this machine, if any
   */
  static Choice choose(
      boolean vggCached, BooleanSupplier zooReachable, Function<String, Optional<String>> atHand) {
    if (vggCached) {
      return new Choice(
          "vgg16", "zoo", "the DL4J zoo's ImageNet VGG16 weights are cached at " + zooFile());
    }
    if (zooReachable.getAsBoolean()) {
      return new Choice(
          "vgg16",
          "zoo",
          "the DL4J zoo's ImageNet VGG16 weights can be downloaded (about 530 MB, once)");
    }
    for (String model : Embedders.PREFERRED_PRETRAINED) {
      Optional<String> weights = atHand.apply(model);
      if (weights.isPresent()) {
        return new Choice(
            model,
            weights.get(),
            "ImageNet-pretrained "
                + model
                + " found on this machine; the zoo's VGG16 weights are neither cached nor"
                + " reachable");
      }
    }
    throw new WeightsUnavailableException(
        "--model auto found no pretrained weights: the zoo's VGG16 weights are not cached at "
            + zooFile()
            + " nor reachable, and none of "
            + String.join(", ", Embedders.PREFERRED_PRETRAINED)
            + " has its file in "
            + MobileNetFiles.searchPath()
            + " (put the .tflite files in ../shared/models or $FASHION_MODELS, or name a --model"
            + " and --weights)",
        null);
  }

  /**
   * The weights spec of {@code model}'s pretrained file if it is on this machine (no download).
   *
   * @throws IllegalStateException for a model of {@link Embedders#PREFERRED_PRETRAINED} this method
   *     cannot look for: a new model must say here where its file is found
   */
  static Optional<String> pretrainedAtHand(String model) {
    for (MobileNetVariant variant : MobileNetVariant.values()) {
      if (variant.modelId().equals(model)) {
        return MobileNetFiles.find(variant).map(Path::toString);
      }
    }
    if (model.equals("vgg16")) {
      return zooWeightsCached() ? Optional.of("zoo") : Optional.empty();
    }
    throw new IllegalStateException(
        "AutoModel cannot look for the pretrained weights of model '" + model + "'");
  }

  /** Where the DL4J zoo caches VGG16's ImageNet weights. */
  public static Path zooFile() {
    VGG16 zoo = VGG16.builder().build();
    String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
    Path dir = DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()).toPath();
    return dir.resolve(Path.of(URI.create(url).getPath()).getFileName().toString());
  }

  /** Whether the zoo's VGG16 weights are cached (not checked: loading checks them). */
  public static boolean zooWeightsCached() {
    return Files.isRegularFile(zooFile());
  }

  /** Whether the zoo's server answers a HEAD request for VGG16's weights within {@code timeout}. */
  public static boolean zooReachable(Duration timeout) {
    String url = VGG16.builder().build().pretrainedUrl(PretrainedType.IMAGENET);
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .connectTimeout(timeout)
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .timeout(timeout)
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (java.io.IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
