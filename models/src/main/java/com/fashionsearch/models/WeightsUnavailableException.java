package com.fashionsearch.models;

/**
 * The requested weights cannot be had: not cached and not downloadable (offline), or a file that is
 * missing or unreadable. The message names the three ways to give weights. Thread-safe (immutable).
 */
public class WeightsUnavailableException extends IllegalStateException {
  /** The three ways to give weights, for every message of this exception. */
  public static final String OPTIONS =
      "give --weights one of: 'zoo' (the DL4J zoo's ImageNet VGG16, downloaded once from the"
          + " internet, verified and cached), a FILE (a DL4J zoo VGG16 .zip, a Keras VGG16 .h5"
          + " model, Keras VGG16 weights-only .h5 such as"
          + " vgg16_weights_tf_dim_ordering_tf_kernels[_notop].h5, or torchvision's vgg16 .pth), or"
          + " 'random[:SEED]' (deterministic UNTRAINED weights, for tests and offline smoke runs);"
          + " or leave --model at auto, which picks the best pretrained weights at hand (a"
          + " MobileNet .tflite file from ../shared/models or $FASHION_MODELS when offline)";

  public WeightsUnavailableException(String problem, Throwable cause) {
    super(problem + "; " + OPTIONS, cause);
  }
}
