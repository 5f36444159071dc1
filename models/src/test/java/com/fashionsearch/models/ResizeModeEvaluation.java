package com.fashionsearch.models;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Pad versus stretch for VGG16 fc2: leave-one-out precision@10 (a neighbour is relevant when it has
 * the query's articleType), exact cosine search, over the first N products of a catalog. Run by
 * hand (not a test): {@code java -cp <models test class path>
 * com.fashionsearch.models.ResizeModeEvaluation CATALOG N WEIGHTS}. With random weights this is
 * weak evidence: untrained filters.
 */
final class ResizeModeEvaluation {
  private ResizeModeEvaluation() {}

  public static void main(String[] args) throws Exception {
    Path catalog = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    String weights = args.length > 2 ? args[2] : "random:42";
    List<String> ids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<BufferedImage> images = new ArrayList<>();
    try (Reader in =
        Files.newBufferedReader(catalog.resolve("styles.csv"), StandardCharsets.UTF_8)) {
      for (CSVRecord r :
          CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
        if (images.size() == n) {
          break;
        }
        Path file = catalog.resolve("images").resolve(r.get("id") + ".jpg");
        if (!Files.isRegularFile(file) || r.size() < 5) {
          continue;
        }
        try {
          images.add(ImageDecoder.decode(Files.readAllBytes(file), file.toString()));
        } catch (ImageRejectedException | IOException e) {
          continue;
        }
        ids.add(r.get("id"));
        types.add(r.get("articleType"));
      }
    }
    Map<String, Integer> counts = new HashMap<>();
    types.forEach(l -> counts.merge(l, 1, Integer::sum));
    double chance = 0;
    int counted = 0;
    for (String type : types) {
      if (counts.get(type) > 1) {
        chance += (counts.get(type) - 1) / (double) (types.size() - 1);
        counted++;
      }
    }
    System.out.printf(Locale.ROOT, "chance p_at_10_articleType=%.4f%n", chance / counted);
    for (ResizeMode mode : ResizeMode.values()) {
      float[][] vectors = new float[images.size()][];
      long t = System.nanoTime();
      try (ImageEmbedder embedder = Embedders.create("vgg16", weights, mode)) {
        for (int i = 0; i < images.size(); i += 16) {
          float[][] batch = embedder.embed(images.subList(i, Math.min(images.size(), i + 16)));
          System.arraycopy(batch, 0, vectors, i, batch.length);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "resize=%s weights=%s products=%d p_at_10_articleType=%.4f embed_s=%.0f%n",
          mode.name().toLowerCase(Locale.ROOT),
          weights,
          images.size(),
          precisionAt10(vectors, types),
          (System.nanoTime() - t) / 1e9);
    }
  }

  static double precisionAt10(float[][] v, List<String> labels) {
    Map<String, Integer> counts = new HashMap<>();
    labels.forEach(l -> counts.merge(l, 1, Integer::sum));
    double sum = 0;
    int queries = 0;
    for (int q = 0; q < v.length; q++) {
      if (counts.get(labels.get(q)) < 2) {
        continue; // no other product of its type: nothing to find
      }
      double[] scores = new double[v.length];
      Integer[] order = new Integer[v.length];
      for (int j = 0; j < v.length; j++) {
        double s = 0;
        for (int d = 0; d < v[q].length; d++) {
          s += v[q][d] * v[j][d];
        }
        scores[j] = j == q ? Double.NEGATIVE_INFINITY : s;
        order[j] = j;
      }
      java.util.Arrays.sort(
          order,
          (a, b) ->
              scores[a] != scores[b]
                  ? Double.compare(scores[b], scores[a])
                  : Integer.compare(a, b));
      int hits = 0;
      for (int r = 0; r < 10; r++) {
        hits += labels.get(order[r]).equals(labels.get(q)) ? 1 : 0;
      }
      sum += hits / 10.0;
      queries++;
    }
    return sum / queries;
  }
}
