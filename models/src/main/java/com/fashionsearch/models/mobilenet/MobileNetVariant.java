package com.fashionsearch.models.mobilenet;

import java.net.URI;
import java.util.Locale;

/**
 * The two MobileNet files this project knows: their model id, file name, public source and
 * SHA-256 (of the files in {@code ../shared/models}). Thread-safe (immutable).
 */
public enum MobileNetVariant {
  /** MobileNet v1 1.0 224, quantised, cut after global average pooling: a 1024-d embedding. */
  V1(
      "mobilenet-v1",
      "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
      "f409ef4f73fcbb9667841965623c5c8524aac33d41b9bf5f3667161fb4a76319",
      1024),
  /** MobileNet v2 1.0 224, quantised ImageNet classifier; the embedding is its pooled 1280-d layer. */
  V2(
      "mobilenet-v2",
      "mobilenet_v2_1.0_224_quant.tflite",
      "7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776",
      1280);

  /** Where Google's Coral project publishes both files (Apache-2.0). */
  private static final String SOURCE = "https://github.com/google-coral/test_data/raw/master/";

  private final String modelId;
  private final String fileName;
  private final String sha256;
  private final int dimension;

  MobileNetVariant(String modelId, String fileName, String sha256, int dimension) {
    this.modelId = modelId;
    this.fileName = fileName;
    this.sha256 = sha256;
    this.dimension = dimension;
  }

  /** The id on the command line and in the index: {@code mobilenet-v1}. */
  public String modelId() {
    return modelId;
  }

  public String fileName() {
    return fileName;
  }

  /** The lower-case hex SHA-256 of the expected file. */
  public String sha256() {
    return sha256;
  }

  /** The embedding dimension. */
  public int dimension() {
    return dimension;
  }

  /** The public download address of the file. */
  public URI source() {
    return URI.create(SOURCE + fileName);
  }

  /**
   * The variant of a model id.
   *
   * @throws IllegalArgumentException for an id that is not a MobileNet
   */
  public static MobileNetVariant ofModelId(String modelId) {
    for (MobileNetVariant v : values()) {
      if (v.modelId.equals(modelId.toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new IllegalArgumentException("not a MobileNet model id: '" + modelId + "'");
  }
}
