package com.fashionsearch.models.learned;

import com.fashionsearch.models.UnitLength;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * A projection learned from a catalog's labels ({@link ProjectionTrainer}), applied to every vector
 * of an index and to every query: a network's embedding {@code x} (unit length) becomes
 *
 * <pre>
 *   e = normalise(W ((x - mean) / std) + b)                        the learned embedding
 *   v = normalise([sqrt(1 - blend) x_v ; sqrt(blend) e])            what the index holds
 * </pre>
 *
 * where {@code x_v} is the unit-length visual part of {@code x} (its first {@link
 * ProjectionInfo#visualDimension()} dimensions; all of it unless the embedder adds intermediate
 * features for learning, see {@link com.fashionsearch.models.ImageEmbedder#visualDimension()}), so
 * that the dot product of two projected vectors is {@code (1 - blend) cos(x_v, x_v') + blend cos(e,
 * e')}: the network's visual similarity and the learned one, weighted. With {@code blend = 1} the
 * vector is {@code e} alone.
 *
 * <p>The layers are a Deeplearning4j graph, saved with its input standardisation as a model zip
 * ({@value #NETWORK_FILE}) beside a text file of what trained it ({@value #INFO_FILE}); {@link
 * #apply} runs the projection layer as a plain matrix product (well under a millisecond for a 1024
 * x 256 layer). Immutable and thread-safe.
 */
public final class LabelProjection {
  /** The Deeplearning4j model zip, with the input standardisation as its normalizer. */
  public static final String NETWORK_FILE = "projection.zip";

  /** What trained it, as {@link ProjectionInfo#toProperties()}. */
  public static final String INFO_FILE = "projection.properties";

  /** The name of the projection layer in the graph. */
  static final String PROJECTION_LAYER = "projection";

  private final float[] mean;
  private final float[] invStd;
  private final float[] weights; // [in][out], row-major: weights[i * out + j]
  private final float[] bias;
  private final int in;
  private final int out;
  private final List<float[]> heads; // per label column, [out][classes] row-major
  private final ProjectionInfo info;

  private LabelProjection(
      float[] mean,
      float[] std,
      float[] weights,
      float[] bias,
      List<float[]> heads,
      ProjectionInfo info) {
    this.in = mean.length;
    this.heads = List.copyOf(heads);
    if (heads.size() != info.heads().size()) {
      throw new IllegalArgumentException(
          "projection info names "
              + info.heads().size()
              + " label columns, the network has "
              + heads.size());
    }
    for (int h = 0; h < heads.size(); h++) {
      if (heads.get(h).length != bias.length * info.heads().get(h).classes().size()) {
        throw new IllegalArgumentException(
            "the classifier of "
                + info.heads().get(h).column()
                + " does not fit "
                + info.heads().get(h).classes().size()
                + " classes");
      }
    }
    this.out = bias.length;
    if (weights.length != in * out) {
      throw new IllegalArgumentException(
          "projection weights must be " + in + " x " + out + ", got " + weights.length + " values");
    }
    if (info.inputDimension() != in || info.projectionDimension() != out) {
      throw new IllegalArgumentException(
          "projection info says "
              + info.inputDimension()
              + " -> "
              + info.projectionDimension()
              + ", the layer is "
              + in
              + " -> "
              + out);
    }
    this.mean = mean;
    this.invStd = new float[in];
    for (int i = 0; i < in; i++) {
      invStd[i] = std[i] > 0 ? 1f / std[i] : 0f;
    }
    this.weights = weights;
    this.bias = bias;
    this.info = info;
  }

  /** From a trained graph and its standardisation; the graph is only read, not kept. */
  static LabelProjection of(
      ComputationGraph graph, NormalizerStandardize standardize, ProjectionInfo info) {
    INDArray w = graph.getLayer(PROJECTION_LAYER).getParam("W"); // [in, out]
    INDArray b = graph.getLayer(PROJECTION_LAYER).getParam("b"); // [1, out]
    List<float[]> heads = new ArrayList<>();
    for (ProjectionInfo.Head h : info.heads()) {
      heads.add(floats(graph.getLayer(headLayer(h.column())).getParam("W"))); // [out, classes]
    }
    return new LabelProjection(
        floats(standardize.getMean()),
        floats(standardize.getStd()),
        w.castTo(DataType.FLOAT).dup('c').data().asFloat(),
        floats(b),
        heads,
        info);
  }

  /** The name of a label column's classifier in the graph. */
  static String headLayer(String column) {
    return "head-" + column;
  }

  /** The same trained layers with another space and blend. */
  public LabelProjection with(ProjectionInfo.Space space, double blend) {
    float[] std = new float[in];
    for (int i = 0; i < in; i++) {
      std[i] = invStd[i] > 0 ? 1f / invStd[i] : 0f;
    }
    return new LabelProjection(mean, std, weights, bias, heads, info.with(space, blend));
  }

  /** The dimension of the learned part of a vector. */
  public int learnedDimension() {
    if (info.space() == ProjectionInfo.Space.EMBEDDING) {
      return out;
    }
    int classes = 0;
    for (ProjectionInfo.Head h : info.heads()) {
      classes += h.classes().size();
    }
    return classes;
  }

  private static float[] floats(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  /** What trained it. */
  public ProjectionInfo info() {
    return info;
  }

  /** The dimension of the network's embeddings it takes. */
  public int inputDimension() {
    return in;
  }

  /**
   * The dimension of the vectors it makes: the input's visual part's plus the learned part's, or
   * the learned part's when blend is 1.
   */
  public int outputDimension() {
    return info.blend() >= 1 ? learnedDimension() : info.visualDimension() + learnedDimension();
  }

  /**
   * Projects one embedding.
   *
   * @param embedding a unit-length vector of {@link #inputDimension()}
   * @return a unit-length vector of {@link #outputDimension()} (all zero for an all-zero input)
   * @throws IllegalArgumentException for a vector of another dimension
   */
  public float[] apply(float[] embedding) {
    Objects.requireNonNull(embedding, "embedding");
    if (embedding.length != in) {
      throw new IllegalArgumentException(
          "the projection takes vectors of dimension " + in + ", got: " + embedding.length);
    }
    if (UnitLength.isZero(embedding)) {
      return new float[outputDimension()];
    }
    float[] z = new float[in];
    for (int i = 0; i < in; i++) {
      z[i] = (embedding[i] - mean[i]) * invStd[i];
    }
    float[] e = bias.clone();
    for (int i = 0; i < in; i++) {
      float zi = z[i];
      if (zi == 0f) {
        continue;
      }
      int row = i * out;
      for (int j = 0; j < out; j++) {
        e[j] += zi * weights[row + j];
      }
    }
    UnitLength.normalise(e);
    if (info.space() == ProjectionInfo.Space.CLASSES) {
      e = classes(e);
    }
    double blend = info.blend();
    if (blend >= 1) {
      return e;
    }
    int learned = e.length;
    int visual = info.visualDimension();
    float[] x = UnitLength.leading(embedding, visual);
    float[] v = new float[visual + learned];
    float a = (float) Math.sqrt(1 - blend);
    float c = (float) Math.sqrt(blend);
    for (int i = 0; i < visual; i++) {
      v[i] = a * x[i];
    }
    for (int j = 0; j < learned; j++) {
      v[visual + j] = c * e[j];
    }
    UnitLength.normalise(v);
    return v;
  }

  /**
   * Per column the square roots of the class probabilities, weighted by the column's loss share.
   */
  private float[] classes(float[] e) {
    float[] q = new float[learnedDimension()];
    double total = 0;
    for (ProjectionInfo.Head h : info.heads()) {
      total += h.weight();
    }
    int offset = 0;
    for (int h = 0; h < heads.size(); h++) {
      float[] w = heads.get(h);
      int classes = info.heads().get(h).classes().size();
      double[] logits = new double[classes];
      for (int i = 0; i < out; i++) {
        double ei = e[i] * info.scale();
        int row = i * classes;
        for (int c = 0; c < classes; c++) {
          logits[c] += ei * w[row + c];
        }
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double l : logits) {
        max = Math.max(max, l);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        logits[c] = Math.exp(logits[c] - max);
        sum += logits[c];
      }
      double share = Math.sqrt(info.heads().get(h).weight() / total);
      for (int c = 0; c < classes; c++) {
        q[offset + c] = (float) (share * Math.sqrt(logits[c] / sum));
      }
      offset += classes;
    }
    return q;
  }

  /** Projects each row; see {@link #apply(float[])}. */
  public float[][] apply(float[][] embeddings) {
    float[][] projected = new float[embeddings.length][];
    for (int r = 0; r < embeddings.length; r++) {
      projected[r] = apply(embeddings[r]);
    }
    return projected;
  }

  /**
   * Writes the graph (with its standardisation) and the info into {@code dir}, each file first
   * written beside its final name and then renamed.
   */
  static void save(
      Path dir, ComputationGraph graph, NormalizerStandardize standardize, ProjectionInfo info)
      throws IOException {
    Files.createDirectories(dir);
    Path network = dir.resolve(NETWORK_FILE);
    Path part = dir.resolve(NETWORK_FILE + ".part");
    ModelSerializer.writeModel(graph, part.toFile(), false);
    ModelSerializer.addNormalizerToModel(part.toFile(), standardize);
    Files.move(part, network, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Path infoPart = dir.resolve(INFO_FILE + ".part");
    try (OutputStream o = Files.newOutputStream(infoPart)) {
      info.toProperties().store(o, "a projection learned from catalog labels; see " + NETWORK_FILE);
    }
    Files.move(
        infoPart,
        dir.resolve(INFO_FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** True when {@code dir} holds a saved projection. */
  public static boolean existsIn(Path dir) {
    return Files.isRegularFile(dir.resolve(NETWORK_FILE))
        && Files.isRegularFile(dir.resolve(INFO_FILE));
  }

  /**
   * Reads a projection saved by {@link ProjectionTrainer}.
   *
   * @throws IOException when a file is missing or unreadable, naming it
   */
  public static LabelProjection load(Path dir) throws IOException {
    Path infoFile = dir.resolve(INFO_FILE);
    Path network = dir.resolve(NETWORK_FILE);
    java.util.Properties properties = new java.util.Properties();
    try (InputStream i = Files.newInputStream(infoFile)) {
      properties.load(i);
    }
    ProjectionInfo info;
    try {
      info = ProjectionInfo.fromProperties(properties);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "learned projection info " + infoFile + " is unreadable: " + e.getMessage(), e);
    }
    Pair<ComputationGraph, Normalizer> restored;
    try {
      restored = ModelSerializer.restoreComputationGraphAndNormalizer(network.toFile(), false);
    } catch (IOException | RuntimeException e) {
      throw new IOException("learned projection " + network + " is unreadable (" + e + ")", e);
    }
    ComputationGraph graph = restored.getFirst();
    try {
      if (!(restored.getSecond() instanceof NormalizerStandardize standardize)) {
        throw new IOException("learned projection " + network + " holds no input standardisation");
      }
      return of(graph, standardize, info);
    } finally {
      graph.close();
    }
  }
}
