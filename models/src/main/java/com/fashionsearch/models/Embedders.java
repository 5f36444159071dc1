package com.fashionsearch.models;

import com.fashionsearch.models.histogram.ColorHistogramEmbedder;
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

  private Embedders() {}

  /** The model ids {@link #create} accepts. */
  public static List<String> models() {
    return List.of("vgg16", "mobilenet-v1", "mobilenet-v2", "histogram");
  }

  /**
   * @param model a model id from {@link #models()}
   * @param weights {@code zoo}, {@code random[:SEED]} or a file path (MobileNet: {@code zoo} or a
   *     {@code .tflite} file, see {@link MobileNetEmbedder#open}; histogram: {@code none})
   * @throws IllegalArgumentException for an unknown model or malformed weights spec
   */
  public static ImageEmbedder create(String model, String weights) {
    String id = model.toLowerCase(Locale.ROOT);
    switch (id) {
      case "mobilenet-v1", "mobilenet-v2":
        return MobileNetEmbedder.open(
            MobileNetVariant.ofModelId(id), weights, MobileNetEmbedder.DEFAULT_RESIZE);
      case "histogram":
        return ColorHistogramEmbedder.forWeights(weights);
      default:
        throw new IllegalArgumentException(
            "unknown model: '" + model + "' (known: " + String.join(", ", models()) + ")");
    }
  }
}
