package com.fashionsearch.server.cli;

import com.fashionsearch.models.EmbedBenchmark;
import com.fashionsearch.models.Embedders;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fashion bench embed}: embedding throughput and one-image latency of a model. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embeds generated 60x80 catalog photos: a warm-up, then timed batches (median images per"
          + " second) and single images from JPEG bytes to the vector (median latency). Ends with one"
          + " line: embed model=.. threads=N batch=B img_per_s=X latency_ms=Y.",
      "Peer: /usr/bin/python3 ../shared/bench/torch_vgg16.py --threads N --batch B, run right after."
    })
final class BenchEmbedCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = Embedders.DEFAULT_MODEL, description = "Model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--weights",
      defaultValue = "random:42",
      description = "zoo, random[:SEED] or a file (.zip, Keras .h5 model or weights-only .h5, torchvision .pth); random weights cost the same time as trained ones (default: ${DEFAULT-VALUE}).")
  String weights;

  @Option(names = "--threads", defaultValue = "0", description = "Native compute threads; 0 keeps ND4J's default, one per core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--batch", defaultValue = "8", description = "Images per batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--batches", defaultValue = "5", description = "Timed batches, and timed single images (default: ${DEFAULT-VALUE}).")
  int batches;

  @Override
  public Integer call() {
    EmbedBenchmark.Result result =
        new EmbedBenchmark(model.toLowerCase(Locale.ROOT), weights, threads, batch, batches)
            .run(line -> System.out.println("bench embed: " + line));
    System.out.println("bench embed: engine " + result.engine() + ", weights " + result.weightsId()
        + (result.pretrained() ? "" : " (UNTRAINED: same cost as trained weights)"));
    System.out.println("bench embed: " + result.backend());
    System.out.println(result.summaryLine());
    return 0;
  }
}
