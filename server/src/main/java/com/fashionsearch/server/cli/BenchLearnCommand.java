package com.fashionsearch.server.cli;

import com.fashionsearch.indexer.LearnOptions;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.models.learned.LabelProjection;
import com.fashionsearch.models.learned.ProjectionTrainer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion bench learn}: how long the reindex's projection takes to train on a catalog of a
 * given size, and what it adds to a query, on synthetic clustered embeddings with labels drawn like
 * the dataset's (as many classes per column).
 */
@Command(
    name = "learn",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the reindex's learned projection (default settings for --n products, the default"
          + " label columns) on synthetic clustered unit vectors with labels, then times its"
          + " application to one query vector.",
      "Ends with: learn n=.. dim=.. visual_dim=.. out_dim=.. epochs=.. batch=.. train_s=.."
          + " apply_us_p50=.. apply_us_p99=.."
    })
final class BenchLearnCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--n",
      defaultValue = "44000",
      description = "Training products (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--dim",
      defaultValue = "1024",
      description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--visual-dim",
      paramLabel = "N",
      description =
          "How many leading dimensions are the network's own embedding, the part the blend keeps"
              + " (the rest are intermediate features the projection alone reads, as MobileNet v1's"
              + " 3584 with 1024 visual); default: all of --dim.")
  Integer visualDim;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
  long seed;

  /** Classes per default label column, as in the full dataset (articleType has about 140). */
  private static final int[] CLASSES = {140, 45, 5, 9, 46};

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int visual = visualDim == null ? dim : visualDim;
    if (visual < 1 || visual > dim) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--visual-dim must be 1 to --dim (" + dim + "), got: " + visual);
    }
    float[][] vectors = SyntheticVectors.clustered(n, dim, 140, seed);
    Random random = new Random(seed + 1);
    Map<String, String[]> labels = new LinkedHashMap<>();
    for (int c = 0; c < LearnOptions.DEFAULT_COLUMNS.size(); c++) {
      String[] values = new String[n];
      for (int i = 0; i < n; i++) {
        // the first column follows the clusters (learnable), the others are drawn at random
        values[i] = "v" + (c == 0 ? i % CLASSES[0] : random.nextInt(CLASSES[c]));
      }
      labels.put(LearnOptions.DEFAULT_COLUMNS.get(c), values);
    }
    ProjectionTrainer.Settings settings = LearnOptions.AUTO.settings().forProducts(n);
    long t0 = System.nanoTime();
    LabelProjection projection;
    try (ProjectionTrainer.Trained trained =
        new ProjectionTrainer(settings).train(vectors, visual, labels)) {
      projection = trained.projection();
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    int warm = 2000;
    int measured = 5000;
    long[] micros = new long[measured];
    float sink = 0;
    for (int i = 0; i < warm + measured; i++) {
      long s = System.nanoTime();
      float[] v = projection.apply(vectors[i % n]);
      long e = System.nanoTime();
      sink += v[0];
      if (i >= warm) {
        micros[i - warm] = (e - s) / 1000;
      }
    }
    java.util.Arrays.sort(micros);
    out.printf(
        Locale.ROOT,
        "learn n=%d dim=%d visual_dim=%d out_dim=%d epochs=%d batch=%d train_s=%.1f apply_us_p50=%d"
            + " apply_us_p99=%d%s%n",
        n,
        dim,
        visual,
        projection.outputDimension(),
        settings.epochs(),
        settings.batchSize(),
        trainSeconds,
        micros[measured / 2],
        micros[measured * 99 / 100],
        sink == Float.MAX_VALUE ? "!" : "");
    out.flush();
    return 0;
  }
}
