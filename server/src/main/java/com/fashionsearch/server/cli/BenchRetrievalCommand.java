package com.fashionsearch.server.cli;

import com.fashionsearch.bench.eval.EvaluationReport;
import com.fashionsearch.bench.eval.LabeledVector;
import com.fashionsearch.bench.eval.RetrievalEvaluation;
import com.fashionsearch.data.Catalog;
import com.fashionsearch.data.CatalogReader;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.ConsoleProgress;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.models.ResizeMode;
import com.fashionsearch.models.mobilenet.MobileNetEmbedder;
import com.fashionsearch.models.pca.PcaWhitening;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fashion bench retrieval}: embeds a catalog in memory and measures leave-one-out retrieval
 * quality by exact search for feature variants (for MobileNet: pooling and layer) with and without
 * PCA whitening, and the embedding speed: for choosing what to index without reindexing each time.
 */
@Command(
    name = "retrieval",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds a catalog in memory and prints, per feature variant and PCA whitening, leave-one-out"
          + " P@k and mAP@k by exact search (relevant = same articleType; also subCategory and"
          + " masterCategory), plus the embedding speed. MobileNet variants: avg (the file's pooled"
          + " layer), avg-power (square-rooted: the indexed embedding), max, gem3, mid-avg,"
          + " avg+mid. PCA is fitted on the same catalog.",
      "--model defaults to mobilenet-v1 here: the feature variants compared are MobileNet's."
    })
final class BenchRetrievalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--catalog", required = true, paramLabel = "DIR", description = "Catalog folder.")
  Path catalog;

  @Mixin ModelOptions modelOptions = new ModelOptions("mobilenet-v1", "zoo");

  @Mixin ResizeOption resizeOption;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Use only the first N products (0: all).")
  int limit;

  @Mixin BatchOption batchOption;

  @Mixin TopKOption topK;

  @Option(
      names = "--pca",
      split = ",",
      defaultValue = "0",
      paramLabel = "DIMS",
      description =
          "PCA whitening dimensions to try, comma-separated; 0 is none (default:"
              + " ${DEFAULT-VALUE}).")
  List<Integer> pca;

  @Override
  public Integer call() {
    ResizeMode mode = resizeOption.mode();
    String resize = mode.id();
    int batch = batchOption.batch;
    int k = topK.k;
    if (batch < 1 || limit < 0) {
      throw new IllegalArgumentException(
          "--batch must be >= 1 and --limit >= 0, got: " + batch + ", " + limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    Catalog cat = new CatalogReader().read(catalog, false);
    List<Product> products =
        limit > 0 && limit < cat.products().size()
            ? cat.products().subList(0, limit)
            : cat.products();

    List<Product> kept = new ArrayList<>();
    Map<String, List<float[]>> variants = new LinkedHashMap<>();
    Map<String, Integer> skipped = new TreeMap<>();
    long networkNanos = 0;
    long start = System.nanoTime();
    ModelOptions.Choice choice = modelOptions.choose();
    String model = choice.model();
    try (ImageEmbedder embedder = Embedders.create(model, choice.weights(), mode);
        ProgressListener progress =
            new ConsoleProgress(ConsoleProgress.stderrIsTerminal(), Duration.ofSeconds(10))) {
      progress.start("embedding " + products.size() + " images", products.size());
      List<BufferedImage> images = new ArrayList<>();
      List<Product> pending = new ArrayList<>();
      for (int i = 0; i < products.size(); i++) {
        Product p = products.get(i);
        try {
          images.add(ImageDecoder.decode(p.image()));
          pending.add(p);
        } catch (ImageRejectedException e) {
          skipped.merge(e.reason(), 1, Integer::sum);
        }
        if (images.size() == batch || (i == products.size() - 1 && !images.isEmpty())) {
          long t0 = System.nanoTime();
          Map<String, float[][]> v =
              embedder instanceof MobileNetEmbedder m
                  ? m.featureVariants(images)
                  : Map.of("embed", embedder.embed(images));
          networkNanos += System.nanoTime() - t0;
          v.forEach(
              (name, vectors) ->
                  variants.computeIfAbsent(name, x -> new ArrayList<>()).addAll(List.of(vectors)));
          kept.addAll(pending);
          progress.advance(images.size());
          images.clear();
          pending.clear();
        }
      }
      progress.close();
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "bench retrieval embed model=%s weights=%s pretrained=%s resize=%s images=%d skipped=%s"
              + " network_s=%.1f total_s=%.1f img_per_s=%.2f%n",
          model,
          embedder.weightsId(),
          embedder.pretrained(),
          resize,
          kept.size(),
          skipped,
          networkNanos / 1e9,
          seconds,
          kept.size() / (networkNanos / 1e9));
      out.flush();
    }
    RetrievalEvaluation evaluation =
        new RetrievalEvaluation(k, RetrievalEvaluation.DEFAULT_GRAPH_CANDIDATES);
    for (Map.Entry<String, List<float[]>> variant : variants.entrySet()) {
      float[][] vectors = variant.getValue().toArray(new float[0][]);
      for (int dims : pca) {
        if (dims > vectors[0].length) {
          continue;
        }
        float[][] v = dims <= 0 ? vectors : PcaWhitening.fit(vectors, dims).apply(vectors);
        List<LabeledVector> items = new ArrayList<>(v.length);
        for (int i = 0; i < v.length; i++) {
          Product p = kept.get(i);
          items.add(
              new LabeledVector(
                  p.id(),
                  List.of(
                      p.attribute("articleType"),
                      p.attribute("subCategory"),
                      p.attribute("masterCategory")),
                  v[i]));
        }
        EvaluationReport r = evaluation.leaveOneOutExact(items, ProgressListener.NONE);
        EvaluationReport.Score at = r.score(EvaluationReport.Method.EXACT, 0);
        out.printf(
            Locale.ROOT,
            "bench retrieval model=%s resize=%s features=%s pca=%s dim=%d P@%d[articleType]=%.3f"
                + " mAP@%d[articleType]=%.3f P@%d[subCategory]=%.3f P@%d[masterCategory]=%.3f%n",
            model,
            resize,
            variant.getKey(),
            dims <= 0 ? "none" : Integer.toString(dims),
            v[0].length,
            k,
            at.precision(),
            k,
            at.averagePrecision(),
            k,
            r.score(EvaluationReport.Method.EXACT, 1).precision(),
            k,
            r.score(EvaluationReport.Method.EXACT, 2).precision());
        out.flush();
      }
    }
    return 0;
  }
}
