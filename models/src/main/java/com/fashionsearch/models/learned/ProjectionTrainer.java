package com.fashionsearch.models.learned;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link LabelProjection} on Deeplearning4j from a catalog's embeddings and labels: a
 * linear layer from the network's embedding to a smaller space, L2-normalised and scaled, under one
 * softmax classifier per label column (articleType, and optionally subCategory, gender, usage,
 * baseColour), their cross-entropies weighted and summed. Classifying normalised embeddings makes
 * products of one class gather in one direction of the learned space, which is what a k-NN search
 * then finds.
 *
 * <p>Deterministic for a seed: initialisation, dropout and the order of the training products all
 * come from it (checked by a test), on one thread's worth of work per batch. A label value carried
 * by fewer than {@link Settings#minClassSize()} training products is not learned (such products
 * still train the other columns) and is reported; a product with an empty value is masked out of
 * that column's loss.
 *
 * <p>Not thread-safe: one training run per call, each with its own graph.
 */
public final class ProjectionTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionTrainer.class);

  /**
   * How to train.
   *
   * @param columns the label columns with the weights of their losses, the first the main one
   * @param dimension the learned embedding's dimension
   * @param space what the learned part of a vector is
   * @param blend the learned part's share of the final dot product, in (0, 1]
   * @param epochs passes over the training products
   * @param batchSize products per update
   * @param learningRate Adam's step size
   * @param l2 L2 regularisation of the weights
   * @param inputRetain the share of input features kept by dropout (1: no dropout)
   * @param scale the logit scale applied to the normalised embedding
   * @param minClassSize the fewest training products a class needs to be learned
   * @param validationShare the share of products held out to measure the projection (0 for none)
   * @param seed the seed of everything random
   */
  public record Settings(
      Map<String, Double> columns,
      int dimension,
      ProjectionInfo.Space space,
      double blend,
      int epochs,
      int batchSize,
      double learningRate,
      double l2,
      double inputRetain,
      double scale,
      int minClassSize,
      double validationShare,
      long seed) {
    public Settings {
      columns = new LinkedHashMap<>(columns);
      Objects.requireNonNull(space, "space");
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("at least one label column is needed");
      }
      if (dimension < 2) {
        throw new IllegalArgumentException("dimension must be at least 2, got: " + dimension);
      }
      if (!(blend > 0 && blend <= 1)) {
        throw new IllegalArgumentException("blend must be in (0, 1], got: " + blend);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, got: " + epochs);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got: " + batchSize);
      }
      if (!(validationShare >= 0 && validationShare < 0.5)) {
        throw new IllegalArgumentException(
            "validation share must be in [0, 0.5), got: " + validationShare);
      }
      if (!(inputRetain > 0 && inputRetain <= 1)) {
        throw new IllegalArgumentException("input retain must be in (0, 1], got: " + inputRetain);
      }
      if (minClassSize < 1) {
        throw new IllegalArgumentException(
            "minimum class size must be at least 1, got: " + minClassSize);
      }
    }

    /** The defaults, for these label columns (the first the main one, weight 1; others 0.5). */
    public static Settings defaults(List<String> columns) {
      Map<String, Double> weights = new LinkedHashMap<>();
      for (String c : columns) {
        weights.put(c, weights.isEmpty() ? 1.0 : 0.5);
      }
      return new Settings(
          weights,
          256,
          ProjectionInfo.Space.CLASSES,
          0.75,
          30,
          128,
          1e-3,
          1e-4,
          0.8,
          16,
          5,
          0.1,
          42);
    }

    /**
     * The same settings sized for {@code products} training products: 30 epochs of batches of 128
     * up to 5,000 products, then fewer epochs (at least 10, about 150,000 product passes in all) of
     * batches of 512 from 16,000 products, so that a large catalog trains in about the time of a
     * 5,000-product one per pass (docs/benchmarks-history.md, "Training time and the cost of a
     * query").
     */
    public Settings forProducts(int products) {
      int e = (int) Math.max(10, Math.min(epochs, Math.round(150_000.0 / Math.max(1, products))));
      int b = products >= 16_000 ? Math.max(batchSize, 512) : batchSize;
      return new Settings(
          columns,
          dimension,
          space,
          blend,
          e,
          b,
          learningRate,
          l2,
          inputRetain,
          scale,
          minClassSize,
          validationShare,
          seed);
    }

    /** The same settings with another blend. */
    public Settings withBlend(double b) {
      return new Settings(
          columns,
          dimension,
          space,
          b,
          epochs,
          batchSize,
          learningRate,
          l2,
          inputRetain,
          scale,
          minClassSize,
          validationShare,
          seed);
    }

    /** The same settings with another space. */
    public Settings withSpace(ProjectionInfo.Space s) {
      return new Settings(
          columns,
          dimension,
          s,
          blend,
          epochs,
          batchSize,
          learningRate,
          l2,
          inputRetain,
          scale,
          minClassSize,
          validationShare,
          seed);
    }

    /** The same settings with another validation share. */
    public Settings withValidationShare(double share) {
      return new Settings(
          columns,
          dimension,
          space,
          blend,
          epochs,
          batchSize,
          learningRate,
          l2,
          inputRetain,
          scale,
          minClassSize,
          share,
          seed);
    }

    /** The same settings with another number of epochs. */
    public Settings withEpochs(int n) {
      return new Settings(
          columns,
          dimension,
          space,
          blend,
          n,
          batchSize,
          learningRate,
          l2,
          inputRetain,
          scale,
          minClassSize,
          validationShare,
          seed);
    }

    /** The same settings with another seed. */
    public Settings withSeed(long s) {
      return new Settings(
          columns,
          dimension,
          space,
          blend,
          epochs,
          batchSize,
          learningRate,
          l2,
          inputRetain,
          scale,
          minClassSize,
          validationShare,
          s);
    }
  }

  /**
   * A trained projection with its graph, to be saved into a generation.
   *
   * @param projection the projection
   * @param graph the trained Deeplearning4j graph
   * @param standardize its input standardisation
   */
  public record Trained(
      LabelProjection projection, ComputationGraph graph, NormalizerStandardize standardize)
      implements AutoCloseable {
    /** Writes the graph, its standardisation and the info into {@code dir}. */
    public void save(Path dir) throws IOException {
      LabelProjection.save(dir, graph, standardize, projection.info());
    }

    @Override
    public void close() {
      graph.close();
    }
  }

  private final Settings settings;

  public ProjectionTrainer(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Trains on {@code vectors} and their labels.
   *
   * @param vectors the products' unit-length embeddings, all of one dimension
   * @param labels per label column of the settings, one value per product ("" for unknown)
   * @throws IllegalArgumentException when a column is missing or of the wrong length, or no column
   *     has two classes large enough to learn
   */
  public Trained train(float[][] vectors, Map<String, String[]> labels) {
    return train(vectors, vectors.length == 0 ? 1 : vectors[0].length, labels);
  }

  /**
   * Trains on {@code vectors} whose first {@code visualDimension} dimensions are the network's own
   * image embedding and the rest features for learning only (see {@link
   * com.fashionsearch.models.ImageEmbedder#visualDimension()}): every dimension feeds the
   * projection, the blend keeps the visual part.
   *
   * @throws IllegalArgumentException as {@link #train(float[][], Map)}, or for a visual part that
   *     is not 1 to the vectors' dimension
   */
  public Trained train(float[][] vectors, int visualDimension, Map<String, String[]> labels) {
    // The batches are small matrix products: native threads spinning for them cost more than they
    // give, and on a busy machine far more (docs/benchmarks-history.md, "Training time and the cost
    // of a query"). Train on one native thread, then restore the settings.
    var environment = Nd4j.getEnvironment();
    int threads = environment.maxThreads();
    int masterThreads = environment.maxMasterThreads();
    int blasThreads = Nd4j.factory().blas().getMaxThreads();
    environment.setMaxThreads(1);
    environment.setMaxMasterThreads(1);
    Nd4j.factory().blas().setMaxThreads(1);
    try {
      return trainOnOneThread(vectors, visualDimension, labels);
    } finally {
      environment.setMaxThreads(threads);
      environment.setMaxMasterThreads(masterThreads);
      Nd4j.factory().blas().setMaxThreads(blasThreads);
    }
  }

  private Trained trainOnOneThread(
      float[][] vectors, int visualDimension, Map<String, String[]> labels) {
    long started = System.nanoTime();
    int n = vectors.length;
    if (n < 2) {
      throw new IllegalArgumentException(
          "at least 2 products are needed to learn a projection, got: " + n);
    }
    int d = vectors[0].length;
    if (visualDimension < 1 || visualDimension > d) {
      throw new IllegalArgumentException(
          "the visual part must be 1 to " + d + " dimensions, got: " + visualDimension);
    }
    for (String column : settings.columns().keySet()) {
      String[] values = labels.get(column);
      if (values == null || values.length != n) {
        throw new IllegalArgumentException(
            "label column '"
                + column
                + "' must give one value per product ("
                + n
                + "), got: "
                + (values == null ? "none" : values.length));
      }
    }
    // the held-out products
    int[] order = shuffled(n, new Random(settings.seed()));
    int validation =
        (int) Math.min(MAX_VALIDATION_PRODUCTS, Math.floor(n * settings.validationShare()));
    int[] val = Arrays.copyOfRange(order, 0, validation); // in seeded random order
    int[] train = Arrays.copyOfRange(order, validation, n);
    Arrays.sort(train);

    Fit fit = fit(vectors, labels, train);
    List<ProjectionInfo.Head> infoHeads = new ArrayList<>();
    double[] accuracy = validationAccuracy(fit.graph, fit.z, val, fit.heads);
    for (int h = 0; h < fit.heads.size(); h++) {
      HeadData head = fit.heads.get(h);
      infoHeads.add(
          new ProjectionInfo.Head(
              head.column, head.weight, head.classes, head.ignored, accuracy[h]));
    }
    ProjectionInfo provisional =
        new ProjectionInfo(
            infoHeads,
            d,
            visualDimension,
            settings.dimension(),
            settings.space(),
            settings.scale(),
            settings.blend(),
            settings.epochs(),
            settings.seed(),
            train.length,
            val.length,
            Double.NaN,
            0);
    LabelProjection first = LabelProjection.of(fit.graph, fit.standardize, provisional);
    double precision =
        validationPrecision(first, vectors, labels.get(fit.heads.get(0).column), train, val);
    if (val.length > 0 && n <= REFIT_MAX_PRODUCTS) {
      // The held-out products have measured the settings; now every label trains the projection.
      LOG.info(
          "learning: validated on {} held-out products; fitting again on all {} products",
          val.length,
          n);
      Map<String, Double> measured = new LinkedHashMap<>();
      for (ProjectionInfo.Head h : infoHeads) {
        measured.put(h.column(), h.validationAccuracy());
      }
      fit.graph.close();
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      fit = fit(vectors, labels, all);
      infoHeads = new ArrayList<>();
      for (HeadData head : fit.heads) {
        infoHeads.add(
            new ProjectionInfo.Head(
                head.column,
                head.weight,
                head.classes,
                head.ignored,
                measured.getOrDefault(head.column, Double.NaN)));
      }
    }
    int fitted = fit.rows;
    ProjectionInfo info =
        new ProjectionInfo(
            infoHeads,
            d,
            visualDimension,
            settings.dimension(),
            settings.space(),
            settings.scale(),
            settings.blend(),
            settings.epochs(),
            settings.seed(),
            fitted,
            val.length,
            precision,
            (System.nanoTime() - started) / 1e9);
    LabelProjection projection = LabelProjection.of(fit.graph, fit.standardize, info);
    LOG.info(
        "learned projection {} from {} products in {} s; validation on {} held-out products: {}",
        info.describe(),
        fitted,
        String.format(Locale.ROOT, "%.1f", info.seconds()),
        val.length,
        validationSummary(info));
    return new Trained(projection, fit.graph, fit.standardize);
  }

  /** A graph fitted on some products, with its standardisation, heads and standardised inputs. */
  private record Fit(
      ComputationGraph graph,
      NormalizerStandardize standardize,
      List<HeadData> heads,
      float[][] z,
      int rows) {}

  /** Fits a new graph on the products {@code train} (sorted) for the settings' epochs. */
  private Fit fit(float[][] vectors, Map<String, String[]> labels, int[] train) {
    int d = vectors[0].length;
    List<HeadData> heads = new ArrayList<>();
    for (Map.Entry<String, Double> c : settings.columns().entrySet()) {
      HeadData head =
          HeadData.of(
              c.getKey(), c.getValue(), labels.get(c.getKey()), train, settings.minClassSize());
      if (head.classes.size() < 2) {
        LOG.warn(
            "label column {} has {} class(es) with at least {} products: not learned",
            c.getKey(),
            head.classes.size(),
            settings.minClassSize());
        continue;
      }
      if (!head.ignored.isEmpty()) {
        LOG.info(
            "label column {}: {} classes learned; {} too small to learn (under {} products): {}",
            head.column,
            head.classes.size(),
            head.ignored.size(),
            settings.minClassSize(),
            head.ignored);
      }
      heads.add(head);
    }
    if (heads.isEmpty()) {
      throw new IllegalArgumentException(
          "no label column of "
              + settings.columns().keySet()
              + " has two classes of at least "
              + settings.minClassSize()
              + " products: nothing to learn");
    }

    float[] mean = new float[d];
    float[] std = new float[d];
    moments(vectors, train, mean, std);
    NormalizerStandardize standardize =
        new NormalizerStandardize(
            Nd4j.createFromArray(mean).reshape(1, d), Nd4j.createFromArray(std).reshape(1, d));

    ComputationGraph graph = new ComputationGraph(configuration(d, heads));
    graph.init();
    float[][] z = standardised(vectors, mean, std);
    Random shuffle = new Random(settings.seed() ^ 0x5DEECE66DL);
    long fitStart = System.nanoTime();
    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
      int[] epochOrder = train.clone();
      shuffleInPlace(epochOrder, shuffle);
      double lossSum = 0;
      int batches = 0;
      for (int from = 0; from < epochOrder.length; from += settings.batchSize()) {
        int[] rows =
            Arrays.copyOfRange(
                epochOrder, from, Math.min(epochOrder.length, from + settings.batchSize()));
        try (MultiDataSetArrays batch = batch(z, rows, heads)) {
          graph.fit(batch.dataSet());
        }
        lossSum += graph.score();
        batches++;
      }
      double elapsed = (System.nanoTime() - fitStart) / 1e9;
      if (epoch == 1 || epoch == settings.epochs() || epoch % 5 == 0) {
        LOG.info(
            String.format(
                Locale.ROOT,
                "learning: epoch %d/%d, loss %.3f, %.1f products/s, ETA %.0f s",
                epoch,
                settings.epochs(),
                lossSum / Math.max(1, batches),
                epoch * (double) train.length / Math.max(elapsed, 1e-9),
                elapsed / epoch * (settings.epochs() - epoch)));
      }
    }

    return new Fit(graph, standardize, heads, z, train.length);
  }

  /** One line: each column's validation accuracy and the P@10 of the main column. */
  public static String validationSummary(ProjectionInfo info) {
    if (info.validationProducts() == 0) {
      return "none held out";
    }
    StringBuilder s = new StringBuilder();
    for (ProjectionInfo.Head h : info.heads()) {
      s.append(
          String.format(Locale.ROOT, "%s accuracy %.3f, ", h.column(), h.validationAccuracy()));
    }
    return s.append(
            String.format(
                Locale.ROOT,
                "P@10[%s] %.3f",
                info.heads().get(0).column(),
                info.validationPrecision()))
        .toString();
  }

  private ComputationGraphConfiguration configuration(int d, List<HeadData> heads) {
    ComputationGraphConfiguration.GraphBuilder g =
        new NeuralNetConfiguration.Builder()
            .seed(settings.seed())
            .dataType(DataType.FLOAT)
            .updater(new Adam(settings.learningRate()))
            .weightInit(WeightInit.XAVIER)
            .l2(settings.l2())
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.feedForward(d))
            .addLayer(
                LabelProjection.PROJECTION_LAYER,
                new DenseLayer.Builder()
                    .nIn(d)
                    .nOut(settings.dimension())
                    .activation(Activation.IDENTITY)
                    .dropOut(settings.inputRetain())
                    .build(),
                "in")
            .addVertex("normalised", new L2NormalizeVertex(), LabelProjection.PROJECTION_LAYER)
            .addVertex("scaled", new ScaleVertex(settings.scale()), "normalised");
    String[] outputs = new String[heads.size()];
    for (int h = 0; h < heads.size(); h++) {
      HeadData head = heads.get(h);
      outputs[h] = LabelProjection.headLayer(head.column);
      INDArray classWeights =
          Nd4j.valueArrayOf(new long[] {head.classes.size()}, head.weight, DataType.FLOAT);
      g.addLayer(
          outputs[h],
          new OutputLayer.Builder(new LossMCXENT(classWeights))
              .nIn(settings.dimension())
              .nOut(head.classes.size())
              .activation(Activation.SOFTMAX)
              .hasBias(false)
              .build(),
          "scaled");
    }
    return g.setOutputs(outputs).build();
  }

  /** A batch's arrays, closed after the update. */
  private record MultiDataSetArrays(MultiDataSet dataSet, List<INDArray> arrays)
      implements AutoCloseable {
    @Override
    public void close() {
      arrays.forEach(INDArray::close);
    }
  }

  private static MultiDataSetArrays batch(float[][] z, int[] rows, List<HeadData> heads) {
    int d = z[0].length;
    float[] features = new float[rows.length * d];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(z[rows[r]], 0, features, r * d, d);
    }
    List<INDArray> arrays = new ArrayList<>();
    INDArray x = Nd4j.create(features, new long[] {rows.length, d}, 'c');
    arrays.add(x);
    INDArray[] labels = new INDArray[heads.size()];
    INDArray[] masks = new INDArray[heads.size()];
    for (int h = 0; h < heads.size(); h++) {
      HeadData head = heads.get(h);
      int c = head.classes.size();
      float[] oneHot = new float[rows.length * c];
      float[] mask = new float[rows.length];
      for (int r = 0; r < rows.length; r++) {
        int cls = head.classOf[rows[r]];
        if (cls >= 0) {
          oneHot[r * c + cls] = 1f;
          mask[r] = 1f;
        }
      }
      labels[h] = Nd4j.create(oneHot, new long[] {rows.length, c}, 'c');
      masks[h] = Nd4j.create(mask, new long[] {rows.length, 1}, 'c');
      arrays.add(labels[h]);
      arrays.add(masks[h]);
    }
    return new MultiDataSetArrays(
        new MultiDataSet(new INDArray[] {x}, labels, null, masks), arrays);
  }

  private static double[] validationAccuracy(
      ComputationGraph graph, float[][] z, int[] val, List<HeadData> heads) {
    double[] accuracy = new double[heads.size()];
    Arrays.fill(accuracy, Double.NaN);
    if (val.length == 0) {
      return accuracy;
    }
    int d = z[0].length;
    float[] features = new float[val.length * d];
    for (int r = 0; r < val.length; r++) {
      System.arraycopy(z[val[r]], 0, features, r * d, d);
    }
    try (INDArray x = Nd4j.create(features, new long[] {val.length, d}, 'c')) {
      INDArray[] out = graph.output(false, x);
      for (int h = 0; h < heads.size(); h++) {
        int[] predicted = out[h].argMax(1).toIntVector();
        int counted = 0;
        int right = 0;
        for (int r = 0; r < val.length; r++) {
          int truth = heads.get(h).classOf[val[r]];
          if (truth >= 0) {
            counted++;
            right += predicted[r] == truth ? 1 : 0;
          }
        }
        accuracy[h] = counted == 0 ? Double.NaN : right / (double) counted;
        out[h].close();
      }
    }
    return accuracy;
  }

  /** At most this many products are held out for validation, whatever the share. */
  static final int MAX_VALIDATION_PRODUCTS = 1_000;

  /**
   * Catalogs of up to this many products are fitted a second time on every product once the
   * held-out products have measured the settings (a tenth more labels is worth most in small
   * catalogs, and costs a second training); larger ones keep the fit that was validated, on all but
   * at most {@link #MAX_VALIDATION_PRODUCTS} products.
   */
  static final int REFIT_MAX_PRODUCTS = 20_000;

  /**
   * At most this many validation products are searched for the validation P@10 (each scans all
   * training products).
   */
  static final int MAX_VALIDATION_QUERIES = 500;

  /**
   * P@10 of the main label for the validation products (the first {@link #MAX_VALIDATION_QUERIES}
   * of them, which are in seeded random order) searched exactly among the training products.
   */
  private static double validationPrecision(
      LabelProjection projection, float[][] vectors, String[] label, int[] train, int[] val) {
    if (val.length == 0 || train.length < 10) {
      return Double.NaN;
    }
    val = Arrays.copyOf(val, Math.min(val.length, MAX_VALIDATION_QUERIES));
    float[][] catalog = new float[train.length][];
    java.util.stream.IntStream.range(0, train.length)
        .parallel()
        .forEach(i -> catalog[i] = projection.apply(vectors[train[i]]));
    double sum = 0;
    int counted = 0;
    for (int q : val) {
      if (label[q].isEmpty()) {
        continue;
      }
      float[] query = projection.apply(vectors[q]);
      int[] top = topTen(catalog, query);
      int hits = 0;
      for (int t : top) {
        hits += label[train[t]].equals(label[q]) ? 1 : 0;
      }
      sum += hits / 10.0;
      counted++;
    }
    return counted == 0 ? Double.NaN : sum / counted;
  }

  private static int[] topTen(float[][] catalog, float[] query) {
    int k = Math.min(10, catalog.length);
    int[] best = new int[k];
    float[] scores = new float[k];
    Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < catalog.length; i++) {
      float s = 0;
      float[] v = catalog[i];
      for (int j = 0; j < v.length; j++) {
        s += v[j] * query[j];
      }
      if (s > scores[k - 1]) {
        int p = k - 1;
        while (p > 0 && scores[p - 1] < s) {
          scores[p] = scores[p - 1];
          best[p] = best[p - 1];
          p--;
        }
        scores[p] = s;
        best[p] = i;
      }
    }
    return best;
  }

  private static void moments(float[][] vectors, int[] rows, float[] mean, float[] std) {
    int d = mean.length;
    double[] sum = new double[d];
    double[] sq = new double[d];
    for (int r : rows) {
      float[] v = vectors[r];
      if (v.length != d) {
        throw new IllegalArgumentException(
            "every vector must have dimension " + d + ", one has " + v.length);
      }
      for (int j = 0; j < d; j++) {
        sum[j] += v[j];
        sq[j] += (double) v[j] * v[j];
      }
    }
    for (int j = 0; j < d; j++) {
      double m = sum[j] / rows.length;
      double var = Math.max(0, sq[j] / rows.length - m * m);
      mean[j] = (float) m;
      std[j] = (float) Math.max(Math.sqrt(var), 1e-6);
    }
  }

  private static float[][] standardised(float[][] vectors, float[] mean, float[] std) {
    float[][] z = new float[vectors.length][];
    for (int r = 0; r < vectors.length; r++) {
      float[] v = vectors[r];
      float[] out = new float[v.length];
      for (int j = 0; j < v.length; j++) {
        out[j] = (v[j] - mean[j]) / std[j];
      }
      z[r] = out;
    }
    return z;
  }

  private static int[] shuffled(int n, Random random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    shuffleInPlace(a, random);
    return a;
  }

  private static void shuffleInPlace(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** One label column's classes over the training products. */
  private static final class HeadData {
    final String column;
    final double weight;
    final List<String> classes;
    final Map<String, Integer> ignored;

    /** Per product (all products, not only training), its class index or -1. */
    final int[] classOf;

    private HeadData(
        String column,
        double weight,
        List<String> classes,
        Map<String, Integer> ignored,
        int[] classOf) {
      this.column = column;
      this.weight = weight;
      this.classes = classes;
      this.ignored = ignored;
      this.classOf = classOf;
    }

    static HeadData of(
        String column, double weight, String[] values, int[] train, int minClassSize) {
      Map<String, Integer> counts = new TreeMap<>();
      for (int r : train) {
        if (!values[r].isEmpty()) {
          counts.merge(values[r], 1, Integer::sum);
        }
      }
      List<String> classes = new ArrayList<>();
      Map<String, Integer> ignored = new TreeMap<>();
      counts.forEach(
          (value, count) -> {
            if (count >= minClassSize) {
              classes.add(value);
            } else {
              ignored.put(value, count);
            }
          });
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < classes.size(); i++) {
        index.put(classes.get(i), i);
      }
      int[] classOf = new int[values.length];
      for (int r = 0; r < values.length; r++) {
        classOf[r] = index.getOrDefault(values[r], -1);
      }
      return new HeadData(column, weight, classes, ignored, classOf);
    }
  }
}
