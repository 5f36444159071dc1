package com.fashionsearch.models.mobilenet;

import com.fashionsearch.models.EmbedderIdentity;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.LazyEmbedder;
import com.fashionsearch.models.ResizeMode;
import com.fashionsearch.models.UnitLength;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ImageNet-pretrained MobileNet features from a TFLite file: {@code mobilenet-v1} gives the 1024-d
 * globally pooled embedding of the Coral embedding extractor, {@code mobilenet-v2} and {@code
 * mobilenet-edgetpu} the pooled 1280-d layer before their classifier (whose logits {@link #logits}
 * also exposes), {@code mobilenet-v3} (v3-Large minimalistic) its pooled 960-d layer (the tensor
 * {@link MobileNetVariant#featureTensor()} names). Images are resized to the file's input side
 * (224) by a {@link ResizeMode} and mapped to real values as the file's input quantisation declares
 * ({@code (x - 128) / 128}). With power normalisation the pooled features (non-negative: averages
 * of ReLU6 outputs) are replaced by their square roots before the L2 normalisation, which damps the
 * few dominant channels (see docs/benchmarks-history.md, "Towards the 0.75 goal").
 *
 * <p>With intermediate layers ({@link MobileNetVariant#intermediateTensors()}, v1 only) the
 * embedding is the pooled features followed by each intermediate layer's globally averaged output,
 * every part power-normalised and L2-normalised on its own and all weighted equally (the whole
 * vector unit length): its first {@link #visualDimension()} dimensions are the network's embedding,
 * the rest are features a learned projection reads (textures and shapes at 14x14 and 7x7 that
 * separate article types the final pooled layer confuses; see docs/benchmarks-history.md,
 * "Intermediate layers for the learned projection").
 *
 * <p>Not thread-safe: the graph has one owner.
 */
public final class MobileNetEmbedder implements ImageEmbedder {

  private static final Logger LOG = LoggerFactory.getLogger(MobileNetEmbedder.class);

  /** The part of {@link #preprocessing()} that says the features are power-normalised. */
  public static final String POWER_ID = "power=0.5";

  /** The part of {@link #preprocessing()} that counts the intermediate layers: {@code mid=4}. */
  public static final String INTERMEDIATE_ID = "mid=";

  private final MobileNetVariant variant;
  private final MobileNetGraph graph;
  private final String weightsId;
  private final ResizeMode resize;
  private final boolean power;

  /** The variable of {@link #graph} that is the embedding. */
  private final String feature;

  /** The variables of {@link #graph} of the intermediate layers, deepest first. */
  private final List<String> intermediates;

  private MobileNetEmbedder(
      MobileNetVariant variant,
      MobileNetGraph graph,
      String feature,
      String weightsId,
      ResizeMode resize,
      boolean power,
      List<String> intermediates) {
    this.variant = variant;
    this.graph = graph;
    this.feature = feature;
    this.intermediates = List.copyOf(intermediates);
    this.weightsId = weightsId;
    this.resize = resize;
    this.power = power;
  }

  /** Opens a MobileNet without power normalisation (the file's own pooled features). */
  public static MobileNetEmbedder open(
      MobileNetVariant variant, String weights, ResizeMode resize) {
    return open(variant, weights, resize, false);
  }

  /** Opens {@code file} without power normalisation (the file's own pooled features). */
  public static MobileNetEmbedder open(MobileNetVariant variant, Path file, ResizeMode resize) {
    return open(variant, file, resize, false);
  }

  /**
   * Opens a MobileNet.
   *
   * @param weights {@code zoo} (or {@code null}/{@code default}): the file found by {@link
   *     MobileNetFiles#findOrDownload}; otherwise the path of a {@code .tflite} file
   * @param power whether {@link #embed} power-normalises (square root) before the L2 normalisation
   * @throws IllegalArgumentException for {@code random} weights (there are none for MobileNet), a
   *     missing file, or a file that is not a MobileNet of this variant
   */
  public static MobileNetEmbedder open(
      MobileNetVariant variant, String weights, ResizeMode resize, boolean power) {
    return open(variant, fileOf(variant, weights), resize, power, 0);
  }

  /**
   * Opens a MobileNet whose embedding adds {@code intermediates} intermediate layers; see {@link
   * #open(MobileNetVariant, String, ResizeMode, boolean)}.
   *
   * @throws IllegalArgumentException also when the variant has fewer intermediate layers
   */
  public static MobileNetEmbedder open(
      MobileNetVariant variant,
      String weights,
      ResizeMode resize,
      boolean power,
      int intermediates) {
    variant.intermediateDimension(intermediates);
    return open(variant, fileOf(variant, weights), resize, power, intermediates);
  }

  /**
   * A MobileNet whose graph is built on its first embedding: the file is found, read, checksummed
   * and checked to be a TFLite file now (the same failures as {@link #open(MobileNetVariant,
   * String, ResizeMode, boolean)}, with the same messages, and the same checksum warning), the
   * graph is compiled only when needed.
   *
   * @throws IllegalArgumentException for {@code random} weights, a missing file, or a file that is
   *     not a TFLite file
   */
  public static LazyEmbedder deferred(
      MobileNetVariant variant, String weights, ResizeMode resize, boolean power) {
    return deferred(variant, weights, resize, power, 0);
  }

  /**
   * {@link #deferred(MobileNetVariant, String, ResizeMode, boolean)} with {@code intermediates}
   * intermediate layers.
   *
   * @throws IllegalArgumentException also when the variant has fewer intermediate layers
   */
  public static LazyEmbedder deferred(
      MobileNetVariant variant,
      String weights,
      ResizeMode resize,
      boolean power,
      int intermediates) {
    int extra = variant.intermediateDimension(intermediates);
    Checked checked = check(variant, fileOf(variant, weights));
    EmbedderIdentity identity =
        new EmbedderIdentity(
            variant.modelId(),
            checked.weightsId(),
            true,
            variant.dimension() + extra,
            preprocessingId(resize, power, intermediates));
    return new LazyEmbedder(
        identity, variant.dimension(), () -> build(checked, resize, power, intermediates));
  }

  private static Path fileOf(MobileNetVariant variant, String weights) {
    String spec = weights == null ? "zoo" : weights.trim();
    String lower = spec.toLowerCase(Locale.ROOT);
    if (lower.equals("zoo") || lower.equals("default") || lower.isEmpty()) {
      return MobileNetFiles.findOrDownload(variant);
    } else if (lower.startsWith("random")) {
      throw new IllegalArgumentException(
          variant.modelId()
              + " has no untrained weights: give --weights zoo or a .tflite file, got: '"
              + weights
              + "'");
    }
    Path file = Path.of(spec);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "weights file of " + variant.modelId() + " not found: " + file.toAbsolutePath());
    }
    return file;
  }

  /**
   * Opens {@code file} as {@code variant}; see {@link #open(MobileNetVariant, String, ResizeMode,
   * boolean)}.
   */
  public static MobileNetEmbedder open(
      MobileNetVariant variant, Path file, ResizeMode resize, boolean power) {
    return open(variant, file, resize, power, 0);
  }

  /**
   * Opens {@code file} as {@code variant} with {@code intermediates} intermediate layers.
   *
   * @throws IllegalArgumentException also when the variant has fewer intermediate layers
   */
  public static MobileNetEmbedder open(
      MobileNetVariant variant, Path file, ResizeMode resize, boolean power, int intermediates) {
    variant.intermediateDimension(intermediates);
    return build(check(variant, file), resize, power, intermediates);
  }

  /** A file read, checksummed and recognised as TFLite, not yet compiled. */
  private record Checked(
      MobileNetVariant variant, Path file, TfliteModel model, String weightsId) {}

  private static Checked check(MobileNetVariant variant, Path file) {
    byte[] bytes;
    String sha;
    try {
      bytes = Files.readAllBytes(file);
      sha = MobileNetFiles.sha256(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read weights file " + file.toAbsolutePath(), e);
    }
    if (!sha.equals(variant.sha256())) {
      LOG.warn(
          "{} has SHA-256 {}, not the known {} of {}",
          file,
          sha,
          variant.sha256(),
          variant.fileName());
    }
    TfliteModel model;
    try {
      model = TfliteModel.of(ByteBuffer.wrap(bytes));
    } catch (IllegalArgumentException e) {
      throw notUsable(file, e);
    }
    return new Checked(
        variant, file, model, file.getFileName() + "@sha256:" + sha.substring(0, 12));
  }

  private static IllegalArgumentException notUsable(Path file, IllegalArgumentException e) {
    return new IllegalArgumentException(
        "weights file " + file.toAbsolutePath() + " is not a usable MobileNet: " + e.getMessage(),
        e);
  }

  private static MobileNetEmbedder build(
      Checked checked, ResizeMode resize, boolean power, int intermediateCount) {
    MobileNetVariant variant = checked.variant();
    Path file = checked.file();
    MobileNetGraph graph;
    try {
      graph = MobileNetGraph.build(checked.model());
    } catch (IllegalArgumentException e) {
      throw notUsable(file, e);
    }
    String feature;
    List<String> intermediates = new ArrayList<>();
    try {
      feature =
          variant.featureTensor() == null
              ? graph.pooled()
              : graph.tensorNamed(variant.featureTensor());
      for (String tensor : variant.intermediateTensors().subList(0, intermediateCount)) {
        intermediates.add(graph.tensorNamed(tensor));
      }
    } catch (IllegalArgumentException e) {
      graph.close();
      throw notUsable(file, e);
    }
    String weightsId = checked.weightsId();
    MobileNetEmbedder embedder =
        new MobileNetEmbedder(variant, graph, feature, weightsId, resize, power, intermediates);
    List<String> outputs = new ArrayList<>(intermediates);
    outputs.add(feature);
    Map<String, INDArray> probe =
        graph.run(
            Nd4j.zeros(1, graph.inputSide(), graph.inputSide(), 3), outputs.toArray(String[]::new));
    int dim = (int) probe.get(feature).length();
    for (String v : intermediates) {
      dim += (int) probe.get(v).size(3);
    }
    if (dim != embedder.dimension()) {
      embedder.close();
      throw new IllegalArgumentException(
          "weights file "
              + file.toAbsolutePath()
              + " gives "
              + dim
              + " features, "
              + variant.modelId()
              + " has "
              + embedder.dimension());
    }
    LOG.info("{}: {} ({}-d, {})", variant.modelId(), weightsId, dim, embedder.preprocessing());
    return embedder;
  }

  /** The preprocessing id of a MobileNet with this resize mode and power normalisation. */
  static String preprocessingId(ResizeMode resize, boolean power) {
    return preprocessingId(resize, power, 0);
  }

  /** The preprocessing id with {@code intermediates} intermediate layers (none: not named). */
  static String preprocessingId(ResizeMode resize, boolean power, int intermediates) {
    return "resize="
        + resize.id()
        + (power ? "," + POWER_ID : "")
        + (intermediates > 0 ? "," + INTERMEDIATE_ID + intermediates : "");
  }

  /**
   * The number of intermediate layers a recorded preprocessing id names ({@code mid=4}), 0 when it
   * names none.
   *
   * @throws IllegalArgumentException for a malformed count
   */
  public static int intermediatesOf(String preprocessing) {
    if (preprocessing == null) {
      return 0;
    }
    for (String part : preprocessing.split(",")) {
      if (part.startsWith(INTERMEDIATE_ID)) {
        String n = part.substring(INTERMEDIATE_ID.length());
        try {
          return Integer.parseInt(n);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "preprocessing '" + preprocessing + "' has a malformed layer count: '" + n + "'", e);
        }
      }
    }
    return 0;
  }

  @Override
  public String modelId() {
    return variant.modelId();
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
    return preprocessingId(resize, power, intermediates.size());
  }

  @Override
  public int dimension() {
    return variant.dimension() + variant.intermediateDimension(intermediates.size());
  }

  @Override
  public int visualDimension() {
    return variant.dimension();
  }

  /** The graph, for inspection and tests. */
  public MobileNetGraph graph() {
    return graph;
  }

  @Override
  public float[][] embed(List<BufferedImage> images) {
    if (images.isEmpty()) {
      return new float[0][];
    }
    if (!intermediates.isEmpty()) {
      return embedWithIntermediates(images);
    }
    INDArray pooled = run(images, feature);
    float[][] out = pooled.reshape(images.size(), variant.dimension()).toFloatMatrix();
    for (float[] v : out) {
      if (power) {
        powerNormalize(v);
      }
      UnitLength.normalise(v);
    }
    return out;
  }

  private float[][] embedWithIntermediates(List<BufferedImage> images) {
    List<String> outputs = new ArrayList<>(intermediates);
    outputs.add(feature);
    Map<String, INDArray> result = graph.run(toInput(images), outputs.toArray(String[]::new));
    int n = images.size();
    float[][] out = new float[n][dimension()];
    float weight = (float) (1 / Math.sqrt(outputs.size()));
    float[][] pooled = result.get(feature).reshape(n, variant.dimension()).dup('c').toFloatMatrix();
    for (int b = 0; b < n; b++) {
      part(pooled[b], out[b], 0, weight);
    }
    int offset = variant.dimension();
    for (String v : intermediates) {
      float[][] averages = pool(spatial(result.get(v)), 1);
      for (int b = 0; b < n; b++) {
        part(averages[b], out[b], offset, weight);
      }
      offset += averages[0].length;
    }
    return out;
  }

  /** Power-normalises (if set) and L2-normalises {@code v}, then writes it scaled at {@code at}. */
  private void part(float[] v, float[] into, int at, float weight) {
    if (power) {
      powerNormalize(v);
    }
    UnitLength.normalise(v);
    for (int i = 0; i < v.length; i++) {
      into[at + i] = weight * v[i];
    }
  }

  /**
   * The classifier's logits for each image (1001 ImageNet classes, index 0 is background).
   *
   * @throws IllegalStateException if the file has no classifier (the v1 embedding extractor)
   */
  public float[][] logits(List<BufferedImage> images) {
    if (graph.logits() == null) {
      throw new IllegalStateException(variant.modelId() + " has no classifier in its file");
    }
    if (images.isEmpty()) {
      return new float[0][];
    }
    INDArray logits = run(images, graph.logits());
    return logits.reshape(images.size(), logits.length() / images.size()).toFloatMatrix();
  }

  /**
   * Alternative global features of the same images from one pass, for choosing what to index (see
   * docs/benchmarks-history.md, "What preprocessing, pooling and PCA whitening do"): {@code avg}
   * (the file's average pooling, as {@link #embed} without power normalisation), {@code avg-power}
   * (the same, power-normalised), {@code max} and {@code gem3} (generalised mean, p = 3) of the
   * last feature map, {@code mid-avg} (average of {@link MobileNetGraph#midFeatureMap()}) and
   * {@code avg+mid} (both averages, each unit length, concatenated). Every vector is L2-normalised.
   */
  public Map<String, float[][]> featureVariants(List<BufferedImage> images) {
    String mid = graph.midFeatureMap();
    Map<String, INDArray> out =
        mid == null
            ? graph.run(toInput(images), graph.featureMap())
            : graph.run(toInput(images), graph.featureMap(), mid);
    float[][][] last = spatial(out.get(graph.featureMap()));
    Map<String, float[][]> variants = new java.util.LinkedHashMap<>();
    variants.put("avg", pool(last, 1));
    float[][] avgPower = pool(last, 1);
    for (float[] v : avgPower) {
      powerNormalize(v);
      UnitLength.normalise(v);
    }
    variants.put("avg-power", avgPower);
    variants.put("max", pool(last, Double.POSITIVE_INFINITY));
    variants.put("gem3", pool(last, 3));
    if (mid != null) {
      float[][] midAvg = pool(spatial(out.get(mid)), 1);
      variants.put("mid-avg", midAvg);
      float[][] avg = variants.get("avg");
      float[][] both = new float[avg.length][];
      for (int i = 0; i < avg.length; i++) {
        both[i] = new float[avg[i].length + midAvg[i].length];
        System.arraycopy(avg[i], 0, both[i], 0, avg[i].length);
        System.arraycopy(midAvg[i], 0, both[i], avg[i].length, midAvg[i].length);
        UnitLength.normalise(both[i]);
      }
      variants.put("avg+mid", both);
    }
    return variants;
  }

  /** {@code [N, H, W, C]} as {@code [N][H*W][C]}. */
  private static float[][][] spatial(INDArray map) {
    long[] s = map.shape();
    float[] data = map.dup('c').data().asFloat();
    int n = (int) s[0];
    int positions = (int) (s[1] * s[2]);
    int c = (int) s[3];
    float[][][] out = new float[n][positions][c];
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < positions; p++) {
        System.arraycopy(data, (b * positions + p) * c, out[b][p], 0, c);
      }
    }
    return out;
  }

  /** Generalised-mean pooling over positions (p = 1: average, infinite p: max), L2-normalised. */
  private static float[][] pool(float[][][] maps, double p) {
    float[][] out = new float[maps.length][];
    for (int b = 0; b < maps.length; b++) {
      int c = maps[b][0].length;
      float[] v = new float[c];
      for (int ch = 0; ch < c; ch++) {
        double acc = Double.isInfinite(p) ? Double.NEGATIVE_INFINITY : 0;
        for (float[] position : maps[b]) {
          double x = Math.max(position[ch], 0);
          acc = Double.isInfinite(p) ? Math.max(acc, x) : acc + Math.pow(x, p);
        }
        v[ch] = (float) (Double.isInfinite(p) ? acc : Math.pow(acc / maps[b].length, 1 / p));
      }
      UnitLength.normalise(v);
      out[b] = v;
    }
    return out;
  }

  /** Runs the graph on the images and returns variable {@code output}. */
  public INDArray run(List<BufferedImage> images, String output) {
    Map<String, INDArray> result = graph.run(toInput(images), output);
    return result.get(output).dup();
  }

  /** The NHWC input {@code [N, side, side, 3]} of the images, resized and scaled. */
  public INDArray toInput(List<BufferedImage> images) {
    int side = graph.inputSide();
    float[] lut = new float[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = graph.inputValue(v);
    }
    float[] data = new float[images.size() * side * side * 3];
    int[] rgb = new int[side * side];
    int o = 0;
    for (BufferedImage image : images) {
      BufferedImage square = resize.toSquare(image, side);
      square.getRGB(0, 0, side, side, rgb, 0, side);
      for (int p : rgb) {
        data[o++] = lut[(p >> 16) & 0xff];
        data[o++] = lut[(p >> 8) & 0xff];
        data[o++] = lut[p & 0xff];
      }
    }
    return Nd4j.create(data, new long[] {images.size(), side, side, 3}, 'c');
  }

  /** Signed square root of each element (the pooled features are non-negative, so the root). */
  static void powerNormalize(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (Math.signum(v[i]) * Math.sqrt(Math.abs(v[i])));
    }
  }

  @Override
  public void close() {
    graph.close();
  }
}
