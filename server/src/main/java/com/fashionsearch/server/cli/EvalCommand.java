package com.fashionsearch.server.cli;

import com.fashionsearch.indexer.ConsoleProgress;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.searcher.eval.EvaluationIndex;
import com.fashionsearch.searcher.eval.EvaluationReport;
import com.fashionsearch.searcher.eval.HeldOutQueries;
import com.fashionsearch.searcher.eval.RetrievalEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fashion eval}: retrieval quality of an index (precision@k and mAP@k by label). */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measures retrieval quality: precision@k and mAP@k where a result is relevant when it has the"
          + " query's articleType (also reported for subCategory and masterCategory), by exact search"
          + " and by graph (HNSW) search side by side, with a per-masterCategory breakdown.",
      "Without --queries, every product of the index is a query, left out of its own results"
          + " (leave-one-out). With --queries, the rows of that CSV (styles.csv columns) are embedded"
          + " from --query-images/<id>.jpg with the index's model.",
      "Ends with one line: eval k=10 P@10[articleType]=.. mAP@10[articleType]=.. P@10[subCategory]=.."
          + " P@10[masterCategory]=.. (graph search figures)."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index folder.")
  Path index;

  @Option(names = "--queries", paramLabel = "CSV", description = "Held-out queries: a styles.csv-like file (id, articleType, subCategory, masterCategory).")
  Path queries;

  @Option(names = "--query-images", paramLabel = "DIR", description = "The folder of the queries' images, <id>.jpg (with --queries).")
  Path queryImages;

  @Option(names = "--k", defaultValue = "10", description = "The cut-off k (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--candidates", defaultValue = "" + RetrievalEvaluation.DEFAULT_GRAPH_CANDIDATES,
      paramLabel = "N", description = "Graph search beam, as the product's default (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--weights", paramLabel = "WEIGHTS",
      description = "Weights to embed the queries with (default: the index's own: random:SEED, else zoo);"
          + " they must match the index's.")
  String weights;

  @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Query images per network call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    if ((queries == null) != (queryImages == null)) {
      throw new ParameterException(spec.commandLine(), "--queries and --query-images go together");
    }
    RetrievalEvaluation evaluation = new RetrievalEvaluation(k, candidates);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (EvaluationIndex ix = EvaluationIndex.open(index)) {
      IndexMetadata m = ix.metadata();
      out.printf(Locale.ROOT, "index %s: generation %d, %d products, model %s, weights %s, preprocessing %s%n",
          index, m.generation(), ix.items().size(), m.modelId(), m.weightsId(),
          m.preprocessingRecorded() ? m.preprocessing() : "not recorded (pad)");
      if (!m.pretrained()) {
        err.println("WARNING: the index was built with UNTRAINED weights (" + m.weightsId()
            + "): these figures measure random features, not a trained model");
        err.flush();
      }
      EvaluationReport report;
      try (ConsoleProgress progress = new ConsoleProgress(ConsoleProgress.stderrIsTerminal(), Duration.ofSeconds(10))) {
        if (queries == null) {
          report = evaluation.leaveOneOut(ix, progress);
        } else {
          String w = weights != null ? weights : (m.weightsId().startsWith("random") ? m.weightsId() : "zoo");
          HeldOutQueries.Result held;
          try (ImageEmbedder embedder = Embedders.createAsRecorded(m.modelId(), w, m.preprocessing())) {
            m.requireCompatible(embedder.modelId(), embedder.weightsId(), embedder.preprocessing());
            held = HeldOutQueries.read(queries, queryImages, embedder, batch, progress);
          }
          out.printf(Locale.ROOT, "%d queries embedded from %s%s%n", held.queries().size(), queries,
              held.skipped().isEmpty() ? "" : ", skipped: " + held.skipped());
          if (held.queries().isEmpty()) {
            throw new IllegalArgumentException("no usable query in " + queries + " (skipped: " + held.skipped() + ")");
          }
          report = evaluation.heldOut(ix, held.queries(), progress);
        }
      }
      out.print(report.format());
      out.flush();
    }
    return 0;
  }
}
