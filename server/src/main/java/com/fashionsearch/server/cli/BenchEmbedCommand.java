package com.fashionsearch.server.cli;

import com.fashionsearch.bench.EmbedBenchmark;
import com.fashionsearch.models.Embedders;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fashion bench embed}: embedding throughput and one-image latency of a model. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds generated 60x80 catalog photos: a warm-up, then timed batches (median images per"
          + " second) and single images from JPEG bytes to the vector (median latency). Ends with"
          + " one line: embed model=.. threads=N batch=B img_per_s=X latency_ms=Y.",
      "Peer: /usr/bin/python3 ../shared/bench/torch_vgg16.py --threads N --batch B, run right"
          + " after.",
      "Defaults differ from reindex's for the comparison: --model vgg16 --weights random:42"
          + " (untrained weights cost the same time as trained ones and need no download) and"
          + " --batch 8, the peer's own default."
    })
final class BenchEmbedCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions = new ModelOptions(Embedders.DEFAULT_MODEL, "random:42");

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "Native compute threads; 0 keeps ND4J's default, one per core (default:"
              + " ${DEFAULT-VALUE}).")
  int threads;

  @Mixin BatchOption batchOption = new BatchOption(8);

  @Option(
      names = "--batches",
      defaultValue = "5",
      description = "Timed batches, and timed single images (default: ${DEFAULT-VALUE}).")
  int batches;

  @Override
  public Integer call() {
    ModelOptions.Choice model = modelOptions.choose();
    EmbedBenchmark.Result result =
        new EmbedBenchmark(model.model(), model.weights(), threads, batchOption.batch, batches)
            .run(line -> System.out.println("bench embed: " + line));
    System.out.println(
        "bench embed: engine "
            + result.engine()
            + ", weights "
            + result.weightsId()
            + (result.pretrained() ? "" : " (UNTRAINED: same cost as trained weights)"));
    System.out.println("bench embed: " + result.backend());
    System.out.println(result.summaryLine());
    return 0;
  }
}
