package com.fashionsearch.server.cli;

import com.fashionsearch.indexer.ConsoleProgress;
import com.fashionsearch.indexer.LearnOptions;
import com.fashionsearch.indexer.ReindexOptions;
import com.fashionsearch.indexer.ReindexSummary;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.solr.SolrReindexOptions;
import com.fashionsearch.solr.SolrReindexer;
import com.fashionsearch.solr.SolrTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fashion reindex}: builds a new index generation from a catalog and switches to it. */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds every catalog image and writes a new index generation, made current only once it is"
          + " committed. A killed run leaves the current generation untouched; a rerun embeds only"
          + " images not in the embedding cache.",
      "With --backend solr it writes a new SolrCloud collection generation NAME_g<N> and switches"
          + " the alias NAME to it (previous generation kept); the embedding cache under --index is"
          + " reused."
    })
final class ReindexCommand implements Callable<Integer> {
  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "DIR",
      description = "Catalog folder: styles.csv and images/<id>.jpg.")
  Path catalog;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "DIR",
      description =
          "Index folder (created if missing); with --backend solr, only its embedding cache is"
              + " used.")
  Path index;

  @Mixin BackendOptions backendOptions;

  @Option(
      names = "--shards",
      defaultValue = "2",
      paramLabel = "N",
      description = "Shards of a new SolrCloud collection (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--replicas",
      defaultValue = "1",
      paramLabel = "N",
      description = "Replicas per shard of a new SolrCloud collection (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Mixin ModelOptions modelOptions;

  @Mixin ResizeOption resizeOption;

  @Mixin BatchOption batchOption;

  @Option(
      names = "--strict",
      description =
          "Fail on the first catalog or image problem instead of skipping and counting it.")
  boolean strict;

  @Option(
      names = "--merge",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Merge the new generation into one segment before it becomes current, so that a query"
              + " walks one graph (--no-merge: keep the segments as written, a faster reindex of a"
              + " large catalog; lucene backend) (default: ${DEFAULT-VALUE}).")
  boolean merge;

  @Option(
      names = "--hnsw-m",
      defaultValue = "16",
      paramLabel = "M",
      description = "HNSW neighbours per node (default: ${DEFAULT-VALUE}).")
  int hnswM;

  @Option(
      names = "--hnsw-beam",
      defaultValue = "100",
      paramLabel = "N",
      description = "HNSW build beam width (default: ${DEFAULT-VALUE}).")
  int hnswBeam;

  @Option(
      names = "--quantization",
      defaultValue = "auto",
      paramLabel = "auto|none|int8|int4|bbq",
      description =
          "Vectors in the graph, rescored with the raw floats, which are always kept; auto: bbq (1"
              + " bit per dimension) from 384 dimensions, none below (default: ${DEFAULT-VALUE}).")
  String quantization;

  @Option(
      names = "--learn",
      defaultValue = "auto",
      paramLabel = "auto|none|COLUMNS",
      description =
          "Learn a projection of the embeddings from the catalog's labels (trained with"
              + " Deeplearning4j on the cached embeddings, saved in the generation, applied to"
              + " every query): auto learns articleType,subCategory,gender,usage,baseColour when"
              + " the catalog has them; none keeps the network's own vectors; or name the label"
              + " columns, the first the main one (default: ${DEFAULT-VALUE}).")
  String learn;

  @Option(
      names = "--learn-from",
      paramLabel = "INDEX",
      description =
          "Apply the projection learned by another index's current generation (same model) instead"
              + " of learning one: for a catalog without labels.")
  Path learnFrom;

  @Option(
      names = "--learn-seed",
      defaultValue = "42",
      paramLabel = "SEED",
      description = "Seed of the projection's training (default: ${DEFAULT-VALUE}).")
  long learnSeed;

  private LearnOptions learnOptions() {
    return (learnFrom != null ? LearnOptions.from(learnFrom) : LearnOptions.parse(learn))
        .withSeed(learnSeed);
  }

  /** The model and weights chosen, set when the run starts. */
  private ModelOptions.Choice model;

  /** Whether this run learns a projection, set when the run starts. */
  private boolean learns;

  private ImageEmbedder embedder() {
    // no network built when every vector is cached; a MobileNet's intermediate layers only feed a
    // learned projection, so none without one (--learn none, SolrCloud)
    return Embedders.deferred(
        model.model(),
        model.weights(),
        resizeOption.mode(),
        Embedders.MOBILENET_POWER,
        learns ? Embedders.MOBILENET_INTERMEDIATES : 0);
  }

  @Override
  public Integer call() throws Exception {
    resizeOption.mode(); // fail before any work
    LearnOptions learning = learnOptions(); // fail before any work
    learns = !backendOptions.solr() && learning.mode() != LearnOptions.Mode.NONE;
    model = modelOptions.choose();
    if (backendOptions.solr()) {
      if (learning.mode() == LearnOptions.Mode.COLUMNS
          || learning.mode() == LearnOptions.Mode.FROM) {
        throw new IllegalArgumentException(
            "--learn and --learn-from work with the lucene backend only;"
                + " the SolrCloud backend indexes the network's own vectors (--learn none)");
      }
      return reindexIntoSolr(backendOptions.solrTarget());
    }
    ReindexOptions options =
        new ReindexOptions(
            catalog,
            index,
            batchOption.batch,
            strict,
            new VectorIndexOptions(
                hnswM, hnswBeam, VectorIndexOptions.Quantization.parse(quantization)),
            merge,
            learning);
    ReindexSummary summary;
    try (ConsoleProgress progress =
        new ConsoleProgress(ConsoleProgress.stderrIsTerminal(), Duration.ofSeconds(5))) {
      summary = new Reindexer(options, this::embedder, progress).run();
    }
    summary.lines().forEach(System.out::println);
    return 0;
  }

  private int reindexIntoSolr(SolrTarget target) throws Exception {
    SolrReindexOptions options =
        new SolrReindexOptions(
            catalog, index.resolve("cache"), shards, replicas, batchOption.batch, strict);
    ReindexSummary summary;
    try (SolrClient client = target.connect();
        ConsoleProgress progress =
            new ConsoleProgress(ConsoleProgress.stderrIsTerminal(), Duration.ofSeconds(5))) {
      summary = new SolrReindexer(options, client, target.alias(), this::embedder, progress).run();
    }
    summary.lines().forEach(System.out::println);
    System.out.println(
        "SolrCloud "
            + target.describe()
            + ": alias "
            + target.alias()
            + " -> "
            + target.alias()
            + "_g"
            + summary.generation());
    return 0;
  }
}
