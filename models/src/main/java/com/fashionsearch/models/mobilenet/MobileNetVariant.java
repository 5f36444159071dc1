package com.fashionsearch.models.mobilenet;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The MobileNet files this project knows: their model id, file name, public source (where one is
 * known), SHA-256 (of the files in {@code ../shared/models}), the tensor that is the embedding and
 * its dimension. Thread-safe (immutable).
 */
public enum MobileNetVariant {
  /** MobileNet v1 1.0 224, quantised, cut after global average pooling: a 1024-d embedding. */
  V1(
      "mobilenet-v1",
      "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
      "f409ef4f73fcbb9667841965623c5c8524aac33d41b9bf5f3667161fb4a76319",
      true,
      null,
      1024,
      List.of(
          "MobilenetV1/MobilenetV1/Conv2d_12_pointwise/Relu6",
          "MobilenetV1/MobilenetV1/Conv2d_11_pointwise/Relu6",
          "MobilenetV1/MobilenetV1/Conv2d_10_pointwise/Relu6",
          "MobilenetV1/MobilenetV1/Conv2d_9_pointwise/Relu6"),
      new int[] {1024, 512, 512, 512}),
  /**
   * MobileNet v2 1.0 224, quantised ImageNet classifier; the embedding is its pooled 1280-d layer.
   */
  V2(
      "mobilenet-v2",
      "mobilenet_v2_1.0_224_quant.tflite",
      "7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776",
      true,
      null,
      1280,
      List.of(),
      new int[0]),
  /**
   * MobileNet-EdgeTPU 1.0 224 (TF-slim), quantised ImageNet classifier (75.6% top-1); the embedding
   * is its pooled 1280-d layer {@code MobilenetEdgeTPU/Logits/AvgPool}. No public download is
   * known.
   */
  EDGETPU(
      "mobilenet-edgetpu",
      "mobilenet_edgetpu_1.0_224.uint8.tflite",
      "5d63cb8ebd518217794221bbcb929ebb89c5ec37d736429a95650e88f9e904fa",
      false,
      "MobilenetEdgeTPU/Logits/AvgPool",
      1280,
      List.of(),
      new int[0]),
  /**
   * MobileNet v3-Large minimalistic 1.0 224 (TF-slim), quantised ImageNet classifier (71.3% top-1);
   * the embedding is its pooled 960-d layer {@code MobilenetV3/AvgPool2D/AvgPool}. No public
   * download is known.
   */
  V3(
      "mobilenet-v3",
      "v3-large-minimalistic_224_1.0_uint8.tflite",
      "62307453547ae5871dbb07b5be79c05c253fafeddeedccf9905b2c98f184749b",
      false,
      "MobilenetV3/AvgPool2D/AvgPool",
      960,
      List.of(),
      new int[0]);

  /** Where Google's Coral project publishes the v1 and v2 files (Apache-2.0). */
  private static final String SOURCE = "https://github.com/google-coral/test_data/raw/master/";

  private final String modelId;
  private final String fileName;
  private final String sha256;
  private final boolean downloadable;
  private final String featureTensor;
  private final int dimension;
  private final List<String> intermediateTensors;
  private final int[] intermediateChannels;

  MobileNetVariant(
      String modelId,
      String fileName,
      String sha256,
      boolean downloadable,
      String featureTensor,
      int dimension,
      List<String> intermediateTensors,
      int[] intermediateChannels) {
    this.modelId = modelId;
    this.fileName = fileName;
    this.sha256 = sha256;
    this.downloadable = downloadable;
    this.featureTensor = featureTensor;
    this.dimension = dimension;
    this.intermediateTensors = intermediateTensors;
    this.intermediateChannels = intermediateChannels;
  }

  /**
   * The intermediate layers whose pooled outputs {@link MobileNetEmbedder} can add to the embedding
   * for a learned projection to read, deepest first, by the file's tensor names (v1: the pointwise
   * convolutions of blocks 12 down to 6); empty for a variant without them.
   */
  public List<String> intermediateTensors() {
    return intermediateTensors;
  }

  /**
   * The dimension of the first {@code count} {@link #intermediateTensors()} together.
   *
   * @throws IllegalArgumentException when the variant has fewer
   */
  public int intermediateDimension(int count) {
    if (count < 0 || count > intermediateTensors.size()) {
      throw new IllegalArgumentException(
          modelId
              + " offers "
              + (intermediateTensors.isEmpty()
                  ? "no intermediate layers"
                  : "0 to " + intermediateTensors.size() + " intermediate layers")
              + ", asked for: "
              + count);
    }
    int d = 0;
    for (int i = 0; i < count; i++) {
      d += intermediateChannels[i];
    }
    return d;
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

  /**
   * The file's name for the tensor that is the embedding, or {@code null} for the output of the
   * network's global average pooling ({@link MobileNetGraph#pooled()}).
   */
  public String featureTensor() {
    return featureTensor;
  }

  /** The public download address of the file, or empty when none is known. */
  public Optional<URI> source() {
    return downloadable ? Optional.of(URI.create(SOURCE + fileName)) : Optional.empty();
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
