package com.fashionsearch.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.Adler32;
import java.util.zip.CheckedInputStream;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VGG16 weights spec ({@code random[:SEED]}, {@code zoo} or a file path) and the network it
 * loads. Thread-safe (immutable); {@link #load()} returns a new graph on every call.
 *
 * @param spec the spec as given
 * @param kind which of the three kinds
 * @param seed the seed of {@code random[:SEED]}
 * @param file the file of a FILE spec
 */
public record Vgg16Weights(String spec, Kind kind, long seed, Path file) {
  private static final Logger LOG = LoggerFactory.getLogger(Vgg16Weights.class);

  /** The seed of a bare {@code random}. */
  public static final long DEFAULT_SEED = 42;

  /** The three kinds of weights. */
  public enum Kind {
    RANDOM,
    ZOO,
    FILE
  }

  /**
   * A loaded network with the identity of its weights and the input normalization they were trained
   * with. Not thread-safe (owns the graph).
   */
  public record Loaded(
      ComputationGraph graph,
      String weightsId,
      boolean pretrained,
      Vgg16Input.Normalization normalization) {
    /**
     * Weights trained on Caffe/Keras/DL4J input ({@link Vgg16Input.Normalization#BGR_VGG_MEAN}).
     */
    public Loaded(ComputationGraph graph, String weightsId, boolean pretrained) {
      this(graph, weightsId, pretrained, Vgg16Input.Normalization.BGR_VGG_MEAN);
    }
  }

  /**
   * Parses a weights spec.
   *
   * @throws IllegalArgumentException for a blank spec or a malformed seed
   */
  public static Vgg16Weights parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "weights spec is empty; " + WeightsUnavailableException.OPTIONS);
    }
    String s = spec.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("zoo")) {
      return new Vgg16Weights(s, Kind.ZOO, 0, null);
    }
    if (lower.equals("random")) {
      return new Vgg16Weights(s, Kind.RANDOM, DEFAULT_SEED, null);
    }
    if (lower.startsWith("random:")) {
      String seed = s.substring("random:".length());
      try {
        return new Vgg16Weights(s, Kind.RANDOM, Long.parseLong(seed), null);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "random weights need an integer seed, as in random:42, got: '" + spec + "'", e);
      }
    }
    return new Vgg16Weights(s, Kind.FILE, 0, Path.of(s));
  }

  /**
   * The weights' identity, checked as far as it can be without building the network: for {@code
   * random:SEED} the id (and the warning that they are untrained), for {@code zoo} the cached file
   * (downloaded if absent) and its checksum, for a file that it exists and its SHA-256. The same
   * failures as {@link #load()} before its network construction, with the same messages.
   *
   * @throws WeightsUnavailableException if the zoo weights are neither cached nor downloadable or
   *     fail their checksum, or the file is missing or unreadable
   */
  public Resolved resolve() {
    return switch (kind) {
      case RANDOM -> {
        LOG.warn(
            "VGG16 weights are UNTRAINED (random:{}): deterministic, for tests and smoke runs only;"
                + " the embeddings carry no visual meaning beyond what random filters give",
            seed);
        yield new Resolved(
            this, "random:" + seed, false, false, Vgg16Input.Normalization.BGR_VGG_MEAN);
      }
      case ZOO -> resolveZoo();
      case FILE -> resolveFile();
    };
  }

  /**
   * Loads the full VGG16 graph (up to its classifier) for these weights: {@link #resolve()}, then
   * {@link Resolved#load()}.
   *
   * @throws WeightsUnavailableException if the zoo weights are neither cached nor downloadable, or
   *     the file is missing or not a VGG16 model
   */
  public Loaded load() {
    return resolve().load();
  }

  /**
   * Weights whose identity is known and checked ({@link #resolve()}), not yet loaded. Thread-safe
   * (immutable); {@link #load()} returns a new graph on every call.
   *
   * @param weights the spec
   * @param weightsId the identity recorded in indexes and caches
   * @param pretrained false for {@code random:SEED}
   * @param convolutionsOnly true for a file without VGG16's dense layers (a Keras {@code _notop}
   *     file): its graph ends at {@code block5_pool}
   * @param normalization the input normalization the weights were trained with
   */
  public record Resolved(
      Vgg16Weights weights,
      String weightsId,
      boolean pretrained,
      boolean convolutionsOnly,
      Vgg16Input.Normalization normalization) {
    /**
     * Builds the network: the expensive part (initialising or reading 138M parameters).
     *
     * @throws WeightsUnavailableException if the weights cannot be read as a VGG16 model
     */
    public Loaded load() {
      return switch (weights.kind()) {
        case RANDOM -> weights.loadRandom(weightsId);
        case ZOO -> weights.loadZoo(weightsId);
        case FILE -> weights.loadFile(weightsId);
      };
    }
  }

  private Loaded loadRandom(String id) {
    ComputationGraph graph = VGG16.builder().seed(seed).numClasses(1000).build().init();
    return new Loaded(graph, id, false);
  }

  private static VGG16 zoo() {
    return VGG16.builder().build();
  }

  private static Path zooFile(VGG16 zoo) {
    String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
    Path dir = DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()).toPath();
    return dir.resolve(Path.of(URI.create(url).getPath()).getFileName().toString());
  }

  private Resolved resolveZoo() {
    VGG16 zoo = zoo();
    String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
    long checksum = zoo.pretrainedChecksum(PretrainedType.IMAGENET);
    Path cached = zooFile(zoo);
    if (!Files.isRegularFile(cached)) {
      try {
        download(url, cached);
      } catch (IOException | RuntimeException e) {
        throw new WeightsUnavailableException(
            "the DL4J zoo's VGG16 ImageNet weights are not cached at "
                + cached
                + " and could not be downloaded from "
                + url
                + " ("
                + e
                + ")",
            e);
      }
    }
    if (checksum != 0 && adler32(cached) != checksum) {
      // the zoo's own load fails on it (and deletes the file) with the message a load gives
      initZoo(zoo, cached).close();
    }
    return new Resolved(
        this,
        "zoo:vgg16-imagenet:adler32=" + checksum,
        true,
        false,
        Vgg16Input.Normalization.BGR_VGG_MEAN);
  }

  private Loaded loadZoo(String id) {
    VGG16 zoo = zoo();
    return new Loaded(initZoo(zoo, zooFile(zoo)), id, true);
  }

  private static ComputationGraph initZoo(VGG16 zoo, Path cached) {
    try {
      return (ComputationGraph) zoo.initPretrained(PretrainedType.IMAGENET);
    } catch (IOException | RuntimeException e) {
      throw new WeightsUnavailableException(
          "the cached VGG16 ImageNet weights at " + cached + " could not be loaded (" + e + ")", e);
    }
  }

  /** The Adler-32 checksum of a file, as the DL4J zoo checks its downloads; -1 if unreadable. */
  private static long adler32(Path file) {
    try (InputStream in = new CheckedInputStream(Files.newInputStream(file), new Adler32())) {
      in.transferTo(OutputStream.nullOutputStream());
      return ((CheckedInputStream) in).getChecksum().getValue();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Downloads to a temporary file beside the target, logging progress, then renames into place. */
  private static void download(String url, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + ".part");
    URLConnection connection = URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(15_000);
    connection.setReadTimeout(60_000);
    if (connection instanceof HttpURLConnection http && http.getResponseCode() != 200) {
      throw new IOException("HTTP " + http.getResponseCode() + " from " + url);
    }
    long total = connection.getContentLengthLong();
    LOG.info("downloading VGG16 ImageNet weights ({} MB) from {} to {}", total >> 20, url, target);
    try (InputStream in = connection.getInputStream();
        OutputStream out = Files.newOutputStream(part)) {
      byte[] buffer = new byte[1 << 16];
      long done = 0;
      int lastDecile = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        done += n;
        int decile = total > 0 ? (int) (done * 10 / total) : 0;
        if (decile > lastDecile) {
          lastDecile = decile;
          LOG.info("downloaded {}% ({} of {} MB)", decile * 10, done >> 20, total >> 20);
        }
      }
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private String fileId() {
    if (!Files.isRegularFile(file)) {
      throw new WeightsUnavailableException(
          "weights file not found: " + file.toAbsolutePath(), null);
    }
    return "file:" + file.getFileName() + ":sha256=" + sha256Prefix(file);
  }

  /** How a weights file is stored, told by its content. */
  enum FileFormat {
    /**
     * A whole Keras model saved with {@code model.save}: an HDF5 file with {@code model_config}.
     */
    KERAS_MODEL,
    /** Keras weights only ({@code model.save_weights}): an HDF5 file with {@code layer_names}. */
    KERAS_WEIGHTS,
    /**
     * A torch state dict ({@code torch.save}): a zip with {@code <name>/data.pkl}, or the legacy
     * stream.
     */
    TORCH,
    /** Anything else: read as a DL4J model zip ({@code ModelSerializer}). */
    DL4J_ZIP
  }

  /** The HDF5 signature at the start of a file (where Keras writes its superblock). */
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /**
   * The format of a weights file, from its content: an HDF5 file is a Keras model when its root has
   * {@code model_config}, Keras weights when it has {@code layer_names}.
   *
   * @throws WeightsUnavailableException for an HDF5 file with neither attribute, or one that cannot
   *     be opened
   */
  static FileFormat formatOf(Path file) {
    byte[] head = new byte[HDF5_SIGNATURE.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new WeightsUnavailableException(
          "cannot read weights file " + file.toAbsolutePath() + " (" + e + ")", e);
    }
    if (n < head.length || !java.util.Arrays.equals(head, HDF5_SIGNATURE)) {
      return isTorch(file) ? FileFormat.TORCH : FileFormat.DL4J_ZIP;
    }
    try (KerasWeightsFile h5 = KerasWeightsFile.open(file)) {
      if (h5.hasRootAttribute("model_config")) {
        return FileFormat.KERAS_MODEL;
      }
      if (h5.hasRootAttribute("layer_names")) {
        return FileFormat.KERAS_WEIGHTS;
      }
    }
    throw new WeightsUnavailableException(
        "weights file "
            + file.toAbsolutePath()
            + " is an HDF5 file but neither a Keras model (no root attribute model_config) nor"
            + " Keras weights (no root attribute layer_names)",
        null);
  }

  /** A legacy torch stream (its magic number first), or a zip holding {@code <name>/data.pkl}. */
  private static boolean isTorch(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      if (TorchVgg16Weights.isLegacy(in.readNBytes(16))) {
        return true;
      }
    } catch (IOException e) {
      throw new WeightsUnavailableException(
          "cannot read weights file " + file.toAbsolutePath() + " (" + e + ")", e);
    }
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      return zip.stream().anyMatch(e -> e.getName().matches("[^/]+/data\\.pkl"));
    } catch (IOException e) {
      return false; // not a zip: left to the DL4J reader, which names the problem
    }
  }

  /** torch hub's file names end in the first 8 hex digits of the file's SHA-256. */
  private static final java.util.regex.Pattern TORCH_HUB_NAME =
      java.util.regex.Pattern.compile(".*-([0-9a-f]{8})\\.pth");

  private Resolved resolveFile() {
    String id = fileId();
    java.util.regex.Matcher hub = TORCH_HUB_NAME.matcher(file.getFileName().toString());
    String sha = id.substring(id.lastIndexOf('=') + 1);
    if (hub.matches() && !sha.startsWith(hub.group(1))) {
      throw new WeightsUnavailableException(
          "weights file "
              + file.toAbsolutePath()
              + " is damaged or not the published file: its name says its SHA-256 starts with "
              + hub.group(1)
              + ", it starts with "
              + sha.substring(0, 8),
          null);
    }
    switch (formatOf(file)) {
      case KERAS_WEIGHTS -> {
        try (KerasWeightsFile h5 = KerasWeightsFile.open(file)) {
          KerasVgg16Weights checked = KerasVgg16Weights.check(file, h5);
          return new Resolved(
              this, id, true, !checked.hasTop(), Vgg16Input.Normalization.BGR_VGG_MEAN);
        }
      }
      case TORCH -> {
        TorchVgg16Weights checked = TorchVgg16Weights.check(file);
        return new Resolved(this, id, true, !checked.hasTop(), Vgg16Input.Normalization.RGB_TORCH);
      }
      default -> {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pth")) {
          throw new WeightsUnavailableException(
              "weights file "
                  + file.toAbsolutePath()
                  + " is named .pth but is not a torch state dict: neither a legacy torch file nor"
                  + " a readable zip with <name>/data.pkl (a download cut short?)",
              null);
        }
        return new Resolved(this, id, true, false, Vgg16Input.Normalization.BGR_VGG_MEAN);
      }
    }
  }

  private Loaded loadFile(String id) {
    String now = fileId();
    if (!now.equals(id)) {
      throw new WeightsUnavailableException(
          "weights file "
              + file.toAbsolutePath()
              + " changed since it was checked: "
              + id
              + " is now "
              + now,
          null);
    }
    FileFormat format = formatOf(file);
    if (format == FileFormat.TORCH) {
      return new Loaded(
          TorchVgg16Weights.check(file).load(), id, true, Vgg16Input.Normalization.RGB_TORCH);
    }
    if (format == FileFormat.KERAS_WEIGHTS) {
      try (KerasWeightsFile h5 = KerasWeightsFile.open(file)) {
        return new Loaded(KerasVgg16Weights.check(file, h5).load(h5), id, true);
      }
    }
    try {
      ComputationGraph graph;
      if (format == FileFormat.KERAS_MODEL) {
        graph = KerasModelImport.importKerasModelAndWeights(file.toString(), false);
      } else {
        graph = ModelSerializer.restoreComputationGraph(file.toFile(), false);
      }
      return new Loaded(graph, id, true);
    } catch (Exception e) {
      throw new WeightsUnavailableException(
          "cannot read VGG16 weights from " + file.toAbsolutePath() + " (" + e + ")", e);
    }
  }

  /** The first 12 hex digits of a file's SHA-256. */
  static String sha256Prefix(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new WeightsUnavailableException("cannot read weights file " + file + " (" + e + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
