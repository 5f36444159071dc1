package com.fashionsearch.bench;

import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.models.Embedders;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.models.NativeBackend;
import com.fashionsearch.models.Vgg16Embedder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Embedding throughput and one-image latency: warms up, then times {@code batches} batches of
 * {@code batch} images (the median rate counts, like the PyTorch peer's) and {@code batches} single
 * images from JPEG bytes to fc2. Not thread-safe (owns an embedder while it runs).
 *
 * @param model a model id of {@link Embedders}
 * @param weights a weights spec
 * @param threads native threads (0: leave ND4J's default)
 * @param batch images per batch
 * @param batches timed batches
 */
public record EmbedBenchmark(String model, String weights, int threads, int batch, int batches) {

  /**
   * @throws IllegalArgumentException if a count is out of range
   */
  public EmbedBenchmark {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be at least 0, got: " + threads);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got: " + batch);
    }
    if (batches < 1) {
      throw new IllegalArgumentException("batches must be at least 1, got: " + batches);
    }
  }

  /**
   * The result.
   *
   * @param imagesPerSecond median over the timed batches
   * @param latencyMillis median time from one image's JPEG bytes to its fc2 vector
   * @param batchSeconds every timed batch, in order
   */
  public record Result(
      EmbedBenchmark run,
      String weightsId,
      boolean pretrained,
      String engine,
      String backend,
      double imagesPerSecond,
      double latencyMillis,
      double[] batchSeconds) {

    /** The machine-readable summary line. */
    public String summaryLine() {
      return String.format(
          Locale.ROOT,
          "embed model=%s threads=%d batch=%d img_per_s=%.2f latency_ms=%.1f",
          run.model(),
          run.threads() == 0 ? Nd4j.getEnvironment().maxMasterThreads() : run.threads(),
          run.batch(),
          imagesPerSecond,
          latencyMillis);
    }
  }

  /** Runs the benchmark, reporting each step to {@code progress}. */
  public Result run(Consumer<String> progress) {
    NativeBackend.select();
    if (threads > 0) {
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      Nd4j.getEnvironment().setMaxThreads(threads);
      Nd4j.factory().blas().setMaxThreads(threads);
    }
    List<byte[]> files = catalogPhotos(batch);
    List<BufferedImage> images = new ArrayList<>();
    for (byte[] file : files) {
      images.add(decode(file));
    }
    byte[] jpeg = files.get(0);
    try (ImageEmbedder embedder = Embedders.create(model, weights)) {
      String engine =
          embedder instanceof Vgg16Embedder v ? v.engine().name().toLowerCase(Locale.ROOT) : "-";
      progress.accept("warm-up: one batch of " + batch + " and one single image");
      embedder.embed(images);
      embedder.embed(List.of(decode(jpeg)));
      double[] seconds = new double[batches];
      double[] rates = new double[batches];
      for (int i = 0; i < batches; i++) {
        long t = System.nanoTime();
        embedder.embed(images);
        seconds[i] = (System.nanoTime() - t) / 1e9;
        rates[i] = batch / seconds[i];
        progress.accept(
            String.format(Locale.ROOT, "batch %d/%d: %.2f img/s", i + 1, batches, rates[i]));
      }
      double[] latencies = new double[batches];
      for (int i = 0; i < batches; i++) {
        long t = System.nanoTime();
        embedder.embed(List.of(decode(jpeg)));
        latencies[i] = (System.nanoTime() - t) / 1e6;
      }
      progress.accept("single-image latencies (ms): " + Arrays.toString(round(latencies)));
      return new Result(
          this,
          embedder.weightsId(),
          embedder.pretrained(),
          engine,
          NativeBackend.describe(),
          median(rates),
          median(latencies),
          seconds);
    }
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      return ImageDecoder.decode(bytes, "benchmark photo");
    } catch (ImageRejectedException e) {
      throw new IllegalStateException(
          "a generated benchmark photo was rejected: " + e.getMessage(), e);
    }
  }

  /** JPEG files of a generated catalog (60x80 portraits on white, as in the real dataset). */
  private static List<byte[]> catalogPhotos(int count) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("fashion-bench-embed");
      List<byte[]> files = new ArrayList<>();
      for (String id : SyntheticCatalog.write(dir, count, 1)) {
        files.add(Files.readAllBytes(dir.resolve("images").resolve(id + ".jpg")));
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate benchmark photos in " + dir, e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  private static double[] round(double[] values) {
    double[] r = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      r[i] = Math.round(values[i] * 10) / 10.0;
    }
    return r;
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
