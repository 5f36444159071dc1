package com.fashionsearch.models.inception;

import com.fashionsearch.models.EmbedderIdentity;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.LazyEmbedder;
import com.fashionsearch.models.ResizeMode;
import com.fashionsearch.models.UnitLength;
import com.fashionsearch.models.mobilenet.MobileNetFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code inception-v3-mixed5}: ImageNet Inception v3 features, the 768-channel output of block
 * {@code mixed5} averaged over its 17x17 positions. The network is the Keras Inception v3 of the
 * nsfwjs project in TensorFlow.js format ({@code inception_v3_nsfwjs/model.json} and six shards);
 * its layers up to {@code mixed5} were frozen during that project's fine-tuning, so they keep the
 * ImageNet weights, and the retrained layers after it are not used. Images are resized to 299x299
 * by a {@link ResizeMode} and scaled to [-1, 1] ({@code x / 127.5 - 1}, Inception's preprocessing).
 * With power normalisation the pooled features (non-negative: averages of ReLU outputs) are
 * replaced by their square roots before the L2 normalisation, as for the MobileNets.
 *
 * <p>Not thread-safe: the network has one owner.
 */
public final class InceptionMixed5Embedder implements ImageEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(InceptionMixed5Embedder.class);

  /** The model id on the command line and in the index. */
  public static final String MODEL_ID = "inception-v3-mixed5";

  /** The model file, relative to a models folder (see {@link MobileNetFiles#searchPath()}). */
  public static final String MODEL_FILE = "inception_v3_nsfwjs/model.json";

  /** The SHA-256 of the known {@code model.json}. */
  public static final String MODEL_SHA256 =
      "fe97479047f94c7edba6610808125ca33a532554eacc7763eb6e1de9fe16f2d8";

  /** The embedding dimension: the channels of {@code mixed5}. */
  public static final int DIMENSION = 768;

  /** The part of {@link #preprocessing()} that says the features are power-normalised. */
  public static final String POWER_ID = "power=0.5";

  private final InceptionV3Network network;
  private final String weightsId;
  private final ResizeMode resize;
  private final boolean power;

  private InceptionMixed5Embedder(
      InceptionV3Network network, String weightsId, ResizeMode resize, boolean power) {
    this.network = network;
    this.weightsId = weightsId;
    this.resize = resize;
    this.power = power;
  }

  /**
   * Opens the network.
   *
   * @param weights {@code zoo} (or {@code null}/{@code default}): {@value #MODEL_FILE} found in the
   *     models folders; otherwise the path of a {@code model.json} with its shards beside it
   * @param power whether {@link #embed} power-normalises (square root) before the L2 normalisation
   * @throws IllegalArgumentException for {@code random} weights, a missing file, or a file that is
   *     not this network
   * @throws IllegalStateException when {@code zoo} is asked for and the file is in no models folder
   */
  public static InceptionMixed5Embedder open(String weights, ResizeMode resize, boolean power) {
    Path file = fileOf(weights);
    return build(file, weightsIdOf(file), resize, power);
  }

  /**
   * Like {@link #open}, but the network is imported on the first embedding: the file is found and
   * checksummed now (the same failures as {@link #open}).
   */
  public static LazyEmbedder deferred(String weights, ResizeMode resize, boolean power) {
    Path file = fileOf(weights);
    String weightsId = weightsIdOf(file);
    EmbedderIdentity identity =
        new EmbedderIdentity(MODEL_ID, weightsId, true, DIMENSION, preprocessingId(resize, power));
    return new LazyEmbedder(identity, () -> build(file, weightsId, resize, power));
  }

  private static Path fileOf(String weights) {
    String spec = weights == null ? "zoo" : weights.trim();
    String lower = spec.toLowerCase(Locale.ROOT);
    if (lower.equals("zoo") || lower.equals("default") || lower.isEmpty()) {
      return MobileNetFiles.find(MODEL_FILE)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "cannot get "
                          + MODEL_FILE
                          + ": not in "
                          + MobileNetFiles.searchPath()
                          + " and no public download of it is known (the nsfwjs 4.4.0 npm package"
                          + " ships its shards base64-encoded): put the folder in one of those, set"
                          + " -Dfashion.models or FASHION_MODELS to its parent, or give the path of"
                          + " model.json with --weights"));
    } else if (lower.startsWith("random")) {
      throw new IllegalArgumentException(
          MODEL_ID
              + " has no untrained weights: give --weights zoo or a model.json file, got: '"
              + weights
              + "'");
    }
    Path file = Path.of(spec);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "weights file of " + MODEL_ID + " not found: " + file.toAbsolutePath());
    }
    return file;
  }

  /**
   * {@code model.json@sha256:<12 hex digits>}, the digest of {@code model.json} followed by its
   * shards in manifest order; warns when {@code model.json} is not the known file.
   */
  private static String weightsIdOf(Path modelJson) {
    MessageDigest all;
    try {
      all = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try {
      String sha = MobileNetFiles.sha256(modelJson);
      if (!sha.equals(MODEL_SHA256)) {
        LOG.warn(
            "{} has SHA-256 {}, not the known {} of {}", modelJson, sha, MODEL_SHA256, MODEL_FILE);
      }
      List<Path> files = new ArrayList<>(List.of(modelJson));
      JsonNode manifest = new ObjectMapper().readTree(modelJson.toFile()).path("weightsManifest");
      for (JsonNode group : manifest) {
        for (JsonNode p : group.path("paths")) {
          files.add(modelJson.toAbsolutePath().getParent().resolve(p.asText()));
        }
      }
      for (Path f : files) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), all)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the weights of " + modelJson.toAbsolutePath(), e);
    }
    String parent = modelJson.toAbsolutePath().getParent().getFileName().toString();
    return parent
        + "/"
        + modelJson.getFileName()
        + "@sha256:"
        + HexFormat.of().formatHex(all.digest()).substring(0, 12);
  }

  private static InceptionMixed5Embedder build(
      Path file, String weightsId, ResizeMode resize, boolean power) {
    InceptionV3Network network;
    try {
      network = InceptionV3Network.load(file, InceptionV3Network.MIXED5);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "weights file "
              + file.toAbsolutePath()
              + " is not a usable "
              + MODEL_ID
              + ": "
              + e.getMessage(),
          e);
    }
    InceptionMixed5Embedder embedder =
        new InceptionMixed5Embedder(network, weightsId, resize, power);
    LOG.info("{}: {} ({}-d, {})", MODEL_ID, weightsId, DIMENSION, embedder.preprocessing());
    return embedder;
  }

  /** The preprocessing id with this resize mode and power normalisation. */
  static String preprocessingId(ResizeMode resize, boolean power) {
    return "resize=" + resize.id() + ",size=299,scale=inception" + (power ? "," + POWER_ID : "");
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public String weightsId() {
    return weightsId;
  }

  @Override
  public boolean pretrained() {
    return true;
  }

  @Override
  public String preprocessing() {
    return preprocessingId(resize, power);
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  /** The network, for inspection and tests. */
  public InceptionV3Network network() {
    return network;
  }

  @Override
  public float[][] embed(List<BufferedImage> images) {
    if (images.isEmpty()) {
      return new float[0][];
    }
    float[][] out;
    try (INDArray input = toInput(images);
        INDArray map = network.featureMap(input)) {
      long[] s = map.shape();
      if (s.length != 4 || s[3] != DIMENSION) {
        throw new IllegalStateException(
            "mixed5 should be [N, H, W, " + DIMENSION + "], got " + java.util.Arrays.toString(s));
      }
      try (INDArray pooled = map.mean(1, 2)) {
        out = pooled.toFloatMatrix();
      }
    }
    for (float[] v : out) {
      if (power) {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (Math.signum(v[i]) * Math.sqrt(Math.abs(v[i])));
        }
      }
      UnitLength.normalise(v);
    }
    return out;
  }

  /** The NHWC input {@code [N, 299, 299, 3]} of the images, resized and scaled to [-1, 1]. */
  public INDArray toInput(List<BufferedImage> images) {
    int side = network.inputSide();
    float[] data = new float[images.size() * side * side * 3];
    int[] rgb = new int[side * side];
    int o = 0;
    for (BufferedImage image : images) {
      BufferedImage square = resize.toSquare(image, side);
      square.getRGB(0, 0, side, side, rgb, 0, side);
      for (int p : rgb) {
        data[o++] = ((p >> 16) & 0xff) / 127.5f - 1f;
        data[o++] = ((p >> 8) & 0xff) / 127.5f - 1f;
        data[o++] = (p & 0xff) / 127.5f - 1f;
      }
    }
    return Nd4j.create(data, new long[] {images.size(), side, side, 3}, 'c');
  }

  @Override
  public void close() {
    network.close();
  }
}
