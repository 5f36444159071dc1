package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SharedTestFiles;
import com.fashionsearch.models.ResizeMode;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Correctness without a reference runtime, for a MobileNet that is an ImageNet classifier: on
 * product photos its top-5 must name plausible ImageNet classes. Fifteen articleTypes are mapped to
 * the classes a person would accept; the first {@value #PER_TYPE} images of each type in {@code
 * fashion-5k} (file order: deterministic) are classified and the top-5 hit rate returned. {@code
 * fashion-5k} rather than {@code fashion-1k} because the latter has no accessories (watches,
 * backpacks, sunglasses, ...). A broken network scores near chance (1 to 4 target classes of 1001
 * in a top-5: under 2%).
 */
final class ImageNetTop5Check {
  static final int PER_TYPE = 5;

  private static final Map<String, List<String>> PLAUSIBLE = new LinkedHashMap<>();

  static {
    PLAUSIBLE.put("Sports Shoes", List.of("running shoe"));
    PLAUSIBLE.put("Casual Shoes", List.of("running shoe", "Loafer", "clog"));
    PLAUSIBLE.put("Formal Shoes", List.of("Loafer", "cowboy boot", "clog"));
    PLAUSIBLE.put("Sandals", List.of("sandal", "clog"));
    PLAUSIBLE.put("Flip Flops", List.of("sandal", "clog"));
    PLAUSIBLE.put("Backpacks", List.of("backpack"));
    PLAUSIBLE.put("Handbags", List.of("purse", "mailbag"));
    PLAUSIBLE.put("Wallets", List.of("wallet", "purse"));
    PLAUSIBLE.put("Watches", List.of("analog clock", "digital watch", "stopwatch", "wall clock"));
    PLAUSIBLE.put("Sunglasses", List.of("sunglass", "sunglasses"));
    PLAUSIBLE.put("Tshirts", List.of("jersey", "sweatshirt"));
    PLAUSIBLE.put("Jeans", List.of("jean"));
    PLAUSIBLE.put("Belts", List.of("buckle"));
    PLAUSIBLE.put("Ties", List.of("Windsor tie", "bow tie"));
    PLAUSIBLE.put("Socks", List.of("sock", "Christmas stocking"));
  }

  private ImageNetTop5Check() {}

  /** The top-5 hit rate of {@code variant} (resize PAD) on the mapped images; prints per type. */
  static double hitRate(MobileNetVariant variant) throws Exception {
    Path model = MobileNetTestFiles.require(variant);
    Path labelsFile = SharedTestFiles.environment().file("models", "imagenet_labels.txt");
    Path catalog = SharedTestFiles.environment().directory("data", "fashion-5k");

    List<String> labels = Files.readAllLines(labelsFile, StandardCharsets.UTF_8);
    Map<String, Integer> classOf = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      for (String name : labels.get(i).split(", ")) {
        classOf.putIfAbsent(name, i);
      }
    }
    Map<String, List<Path>> images = new LinkedHashMap<>();
    try (BufferedReader in =
        Files.newBufferedReader(catalog.resolve("styles.csv"), StandardCharsets.UTF_8)) {
      for (CSVRecord r :
          CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
        String type = r.get("articleType");
        if (PLAUSIBLE.containsKey(type)) {
          List<Path> list = images.computeIfAbsent(type, t -> new ArrayList<>());
          Path image = catalog.resolve("images").resolve(r.get("id") + ".jpg");
          if (list.size() < PER_TYPE && Files.isRegularFile(image)) {
            list.add(image);
          }
        }
      }
    }
    assertEquals(PLAUSIBLE.keySet(), images.keySet(), "every mapped type has images");

    int hits = 0;
    int total = 0;
    try (MobileNetEmbedder net = MobileNetEmbedder.open(variant, model, ResizeMode.PAD)) {
      assertEquals(
          labels.size(),
          net.logits(List.of(new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB)))[0].length,
          "one logit per label");
      for (Map.Entry<String, List<Path>> e : images.entrySet()) {
        Set<Integer> wanted = new HashSet<>();
        for (String name : PLAUSIBLE.get(e.getKey())) {
          Integer c = classOf.get(name);
          assertTrue(c != null, "label '" + name + "' is in imagenet_labels.txt");
          wanted.add(c);
        }
        List<BufferedImage> batch = new ArrayList<>();
        for (Path p : e.getValue()) {
          batch.add(ImageIO.read(p.toFile()));
        }
        float[][] logits = net.logits(batch);
        int typeHits = 0;
        for (float[] l : logits) {
          for (int c : ImageNetTopK.topK(l, 5)) {
            if (wanted.contains(c)) {
              typeHits++;
              break;
            }
          }
        }
        System.out.printf(
            "%s %-13s %d/%d%n", variant.modelId(), e.getKey(), typeHits, logits.length);
        hits += typeHits;
        total += logits.length;
      }
    }
    double rate = hits / (double) total;
    System.out.printf("%s top-5 hit rate %d/%d = %.3f%n", variant.modelId(), hits, total, rate);
    return rate;
  }
}
