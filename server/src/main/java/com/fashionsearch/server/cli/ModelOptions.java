package com.fashionsearch.server.cli;

import com.fashionsearch.models.AutoModel;
import com.fashionsearch.models.Embedders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The network a command runs: {@code --model} and {@code --weights}, declared once for reindex,
 * bench embed and bench retrieval. A picocli mixin; each command gives its defaults through the
 * constructor (and says in its description why they differ). Not thread-safe (filled by picocli
 * once).
 */
final class ModelOptions {
  /** The forms {@code --weights} takes, in the words of every option that names weights. */
  static final String WEIGHTS_FORMS =
      "zoo (pretrained: VGG16 downloaded once, a MobileNet's file found or downloaded),"
          + " random[:SEED] (untrained, deterministic: VGG16 only, for tests), or a file: a DL4J"
          + " .zip, a Keras .h5 model, Keras weights-only .h5"
          + " (vgg16_weights_tf_dim_ordering_tf_kernels.h5; the _notop file serves --model"
          + " vgg16-pool5 only), or torchvision's vgg16 .pth";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      completionCandidates = ModelNames.class,
      description =
          "Embedding model: ${COMPLETION-CANDIDATES}. auto takes the best pretrained weights at"
              + " hand and says which: VGG16 with the zoo's ImageNet weights when they are cached"
              + " or can be downloaded, else the first pretrained network found on this machine"
              + " (${sys:fashion.preferredPretrained}, from ../shared/models or $FASHION_MODELS)"
              + " (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--weights",
      paramLabel = "zoo|random[:SEED]|FILE",
      description =
          "Weights of the --model named: "
              + WEIGHTS_FORMS
              + " (default: ${DEFAULT-VALUE})."
              + " Not with --model auto, which picks its own.")
  String weights;

  /**
   * The defaults of reindex: the best pretrained network at hand, else zoo weights of the model
   * named.
   */
  ModelOptions() {
    this(AutoModel.AUTO, "zoo");
  }

  /**
   * @param model the default --model
   * @param weights the default --weights of a named model
   */
  ModelOptions(String model, String weights) {
    this.model = model;
    this.weights = weights;
  }

  /** A model and its weights, with {@code --model auto} resolved. */
  record Choice(String model, String weights) {}

  /**
   * Resolves {@code --model auto} to a model and weights, saying which on stderr, and checks the
   * model's name.
   *
   * @throws IllegalArgumentException for an unknown model, or --weights given with --model auto
   */
  Choice choose() {
    if (AutoModel.isAuto(model)) {
      if (mixee.commandLine().getParseResult().hasMatchedOption("--weights")) {
        throw new IllegalArgumentException(
            "--weights "
                + weights
                + " needs a --model (auto picks its own weights): e.g. --model vgg16 --weights "
                + weights);
      }
      AutoModel.Choice choice = AutoModel.choose();
      System.err.println(mixee.name() + ": --model auto: " + choice.describe());
      System.err.flush();
      return new Choice(choice.model(), choice.weights());
    }
    if (!Embedders.models().contains(model.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "unknown --model '"
              + model
              + "' (known: auto, "
              + String.join(", ", Embedders.models())
              + ")");
    }
    return new Choice(model.toLowerCase(Locale.ROOT), weights);
  }

  /** The model names --model accepts, for its help and shell completion. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      names.add(AutoModel.AUTO);
      names.addAll(Embedders.models());
      return names.iterator();
    }
  }
}
