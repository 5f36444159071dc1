package com.fashionsearch.server.cli;

import com.fashionsearch.bench.eval.EvaluationIndex;
import com.fashionsearch.bench.eval.FoldedEvaluation;
import com.fashionsearch.bench.eval.HeldOutQueries;
import com.fashionsearch.bench.eval.LabeledVector;
import com.fashionsearch.bench.eval.SearcherEvaluation;
import com.fashionsearch.indexer.ConsoleProgress;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.LearnOptions;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.searcher.IndexEmbedders;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fashion eval}: retrieval quality of an index, through the searcher users get. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measures retrieval quality through the product's searcher (its planner, scans, rescoring and"
          + " any learned projection): precision@k and mAP@k where a result is relevant when it has"
          + " the query's articleType; also articleType+baseColour (same kind AND same colour:"
          + " visual agreement), subCategory and masterCategory, with a per-masterCategory"
          + " breakdown.",
      "Three modes. Without --queries or --folds: every product of the index is a query, left out"
          + " of its own results (leave-one-out; for an index whose projection learned these"
          + " products' labels this flatters it: use --folds). With --queries CSV --query-images"
          + " DIR: those rows' images are embedded with the index's model and searched as uploads."
          + " With --folds N --catalog DIR: the catalog is split into N folds; each fold's images"
          + " query an index of the other folds, built by the real reindex with and without the"
          + " learned projection (--learn), from --index's embedding cache.",
      "Ends with one line: eval k=10 P@10[articleType]=.. mAP@10[articleType]=.."
          + " P@10[articleType+baseColour]=.. P@10[subCategory]=.. P@10[masterCategory]=.. (with"
          + " --folds: one eval-learned and one eval-label-free line)."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "DIR",
      description =
          "The index folder (with --folds: the index of --catalog whose embedding cache and model"
              + " are used).")
  Path index;

  @Option(
      names = "--queries",
      paramLabel = "CSV",
      description = "Held-out queries: a styles.csv-like file (id and the label columns).")
  Path queries;

  @Option(
      names = "--query-images",
      paramLabel = "DIR",
      description = "The folder of the queries' images, <id>.jpg (with --queries).")
  Path queryImages;

  @Option(
      names = "--folds",
      paramLabel = "N",
      description = "k-fold held-out evaluation of a learned projection over --catalog.")
  Integer folds;

  @Option(
      names = "--catalog",
      paramLabel = "DIR",
      description = "The catalog to fold (with --folds).")
  Path catalog;

  @Option(
      names = "--learn",
      defaultValue = "auto",
      paramLabel = "auto|COLUMNS",
      description =
          "With --folds: what the learned arm learns, as reindex --learn (default:"
              + " ${DEFAULT-VALUE}).")
  String learn;

  @Option(
      names = "--fold-seed",
      defaultValue = "7",
      paramLabel = "SEED",
      description = "With --folds: the seed of the fold assignment (default: ${DEFAULT-VALUE}).")
  long foldSeed;

  @Mixin TopKOption topK;

  @Mixin QueryWeightsOption queryWeights;

  @Mixin BatchOption batchOption;

  @Override
  public Integer call() throws Exception {
    if ((queries == null) != (queryImages == null)) {
      throw new ParameterException(spec.commandLine(), "--queries and --query-images go together");
    }
    if ((folds == null) != (catalog == null)) {
      throw new ParameterException(spec.commandLine(), "--folds and --catalog go together");
    }
    if (folds != null && queries != null) {
      throw new ParameterException(
          spec.commandLine(), "--folds and --queries are two different evaluations: give one");
    }
    SearcherEvaluation evaluation = new SearcherEvaluation(topK.k);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IndexMetadata m;
    try (EvaluationIndex ix = EvaluationIndex.open(index)) {
      m = ix.metadata();
    }
    out.printf(
        Locale.ROOT,
        "index %s: generation %d, %d products, model %s, weights %s, preprocessing %s, %s%n",
        index,
        m.generation(),
        m.products(),
        m.modelId(),
        m.weightsId(),
        m.preprocessingRecorded() ? m.preprocessing() : "not recorded (pad)",
        m.isLearned() ? "learned projection " + m.learned() : "no learned projection");
    if (!m.pretrained()) {
      err.println(
          "WARNING: the index was built with UNTRAINED weights ("
              + m.weightsId()
              + "): these figures measure random features, not a trained model");
      err.flush();
    }
    IndexEmbedders embedders = new IndexEmbedders(queryWeights.weights());
    Supplier<ImageEmbedder> embedder =
        () -> embedders.create(m.modelId(), m.weightsId(), m.preprocessing());
    try (ConsoleProgress progress =
        new ConsoleProgress(ConsoleProgress.stderrIsTerminal(), Duration.ofSeconds(10))) {
      if (folds != null) {
        LearnOptions learning = LearnOptions.parse(learn);
        Path work = Files.createTempDirectory("fashion-eval-folds");
        FoldedEvaluation.Result r =
            new FoldedEvaluation(evaluation, folds, foldSeed, learning)
                .run(catalog, new IndexGenerations(index).cacheDir(), embedder, work, progress);
        out.printf(
            Locale.ROOT,
            "%d-fold held-out evaluation of %s (fold seed %d): each fold's images query an index of"
                + " the other folds; the learned arm's projection (--learn %s) was trained on the"
                + " other folds' labels only%n",
            r.folds(),
            catalog,
            foldSeed,
            learning.describe());
        out.print(r.learned().format("learned     "));
        out.print(r.labelFree().format("label-free  "));
        out.println("eval-learned " + r.learned().summary());
        out.println("eval-label-free " + r.labelFree().summary());
        out.flush();
        return 0;
      }
      try (LuceneProductSearcher searcher =
          LuceneProductSearcher.open(index, embedders, KnnTuning.DEFAULT)) {
        List<SearcherEvaluation.Query> qs;
        if (queries == null) {
          qs = new ArrayList<>();
          try (EvaluationIndex ix = EvaluationIndex.open(index)) {
            for (LabeledVector item : ix.items()) {
              searcher
                  .item(item.id())
                  .ifPresent(
                      it ->
                          qs.add(
                              new SearcherEvaluation.Query(
                                  it.id(), it.attributes(), Optional.empty())));
            }
          }
          if (m.isLearned()) {
            err.println(
                "NOTE: if this index's projection was learned from these products' labels (by its"
                    + " own reindex, not --learn-from), leave-one-out flatters it: each query's own"
                    + " label trained the space; --folds measures unseen products");
            err.flush();
          }
        } else {
          HeldOutQueries.Result held;
          try (ImageEmbedder e = embedder.get()) {
            m.requireCompatible(e.modelId(), e.weightsId(), e.preprocessing());
            held = HeldOutQueries.read(queries, queryImages, e, batchOption.batch, progress);
          }
          out.printf(
              Locale.ROOT,
              "%d queries embedded from %s%s%n",
              held.queries().size(),
              queries,
              held.skipped().isEmpty() ? "" : ", skipped: " + held.skipped());
          if (held.queries().isEmpty()) {
            throw new IllegalArgumentException(
                "no usable query in " + queries + " (skipped: " + held.skipped() + ")");
          }
          qs = held.queries();
        }
        SearcherEvaluation.Figures figures =
            evaluation.run(searcher, qs, progress, new SearcherEvaluation.Figures(topK.k));
        out.printf(
            Locale.ROOT,
            "%s: %d queries through the searcher%n",
            queries == null ? "leave-one-out" : "held-out",
            qs.size());
        out.print(figures.format(""));
        out.println("eval " + figures.summary());
        out.flush();
      }
    }
    return 0;
  }
}
