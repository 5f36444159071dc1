package com.fashionsearch.server.cli;

import com.fashionsearch.bench.VectorIndexBenchmark;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.indexer.codec.VectorIndexOptions.Quantization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fashion bench index}: HNSW parameters and quantization against build time, size and
 * recall.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Builds one vector index per option set over the same synthetic fc2-like vectors and prints,"
          + " for each: build time, size on disk, recall@10 against exact search, p50 and p99"
          + " latency."
    })
final class BenchIndexCommand implements Callable<Integer> {
  @Option(
      names = "--n",
      defaultValue = "10000",
      description = "Vectors indexed (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--dim",
      defaultValue = "4096",
      description = "Dimension (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--queries",
      defaultValue = "200",
      description = "Queries measured, after as many warm-up ones (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--candidates",
      defaultValue = "100",
      description = "HNSW candidates per query, trimmed to 10 (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(
      names = "--options",
      split = ";",
      defaultValue = "16,100,none;32,200,none;16,100,int8;16,100,int4;16,100,bbq",
      paramLabel = "M,BEAM,QUANT",
      description = "Option sets, separated by ';' (default: ${DEFAULT-VALUE}).")
  List<String> optionSets;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where to build the indexes (default: a temporary folder).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    List<VectorIndexOptions> options = new ArrayList<>();
    for (String set : optionSets) {
      String[] parts = set.split(",");
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "--options takes M,BEAM,QUANT triples, got: '" + set + "'");
      }
      options.add(
          new VectorIndexOptions(
                  Integer.parseInt(parts[0].trim()),
                  Integer.parseInt(parts[1].trim()),
                  Quantization.parse(parts[2]))
              .resolve(dim));
    }
    Path dir =
        workDir != null
            ? Files.createDirectories(workDir)
            : Files.createTempDirectory("fashion-bench-index");
    new VectorIndexBenchmark(n, dim, queries, candidates, System.out)
        .run(dir, options.toArray(VectorIndexOptions[]::new));
    return 0;
  }
}
