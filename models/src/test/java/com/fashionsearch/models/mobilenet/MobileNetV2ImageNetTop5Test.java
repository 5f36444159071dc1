package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Correctness without a reference runtime: MobileNet v2 is an ImageNet classifier, so on product
 * photos its top-5 must name plausible ImageNet classes. Fifteen articleTypes are mapped to the
 * classes a person would accept; the first {@value #PER_TYPE} images of each type in {@code
 * fashion-5k} (file order: deterministic) are classified and the top-5 hit rate asserted. {@code
 * fashion-5k} rather than {@code fashion-1k} because the latter has no accessories (watches,
 * backpacks, sunglasses, ...).
 */
class MobileNetV2ImageNetTop5Test {
  private static final int PER_TYPE = 5;

  /**
   * Measured with resize PAD (2026-11-27): on the first 30 images of each type (447 images) the hit
   * rate was 0.488 (0.546 with STRETCH); per type it ranges from 30/30 (Sunglasses) and 28/30 (Formal
   * Shoes to Loafer) down to 2/30 (Flip Flops, seen as "can opener"/"whistle": the 60x80 photos are
   * small). On this test's 75 images it is {@value #MEASURED}. A broken network scores near chance
   * (1 to 4 target classes of 1001 in a top-5: under 2%); 0.30 leaves more than three standard
   * deviations (sqrt(0.25/75) = 0.058) of sampling room below the measured rate.
   */
  private static final double THRESHOLD = 0.30;

  private static final String MEASURED = "0.493";

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

  @Test
  void top5NamesPlausibleClassesForMappedArticleTypes() throws Exception {
    Path model = MobileNetTestFiles.require(MobileNetVariant.V2);
    Path labelsFile = model.resolveSibling("imagenet_labels.txt");
    Assumptions.assumeTrue(Files.isRegularFile(labelsFile), labelsFile + " is absent: skipped");
    Path catalog = MobileNetTestFiles.shared().resolve("data/fashion-5k");
    Assumptions.assumeTrue(Files.isDirectory(catalog), catalog + " is absent: skipped");

    List<String> labels = Files.readAllLines(labelsFile, StandardCharsets.UTF_8);
    Map<String, Integer> classOf = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      for (String name : labels.get(i).split(", ")) {
        classOf.putIfAbsent(name, i);
      }
    }
    Map<String, List<Path>> images = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(catalog.resolve("styles.csv"), StandardCharsets.UTF_8)) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
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
    try (MobileNetEmbedder net = MobileNetEmbedder.open(MobileNetVariant.V2, model, ResizeMode.PAD)) {
      assertEquals(labels.size(), net.logits(List.of(new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB)))[0].length,
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
        System.out.printf("%-13s %d/%d%n", e.getKey(), typeHits, logits.length);
        hits += typeHits;
        total += logits.length;
      }
    }
    double rate = hits / (double) total;
    System.out.printf("top-5 hit rate %d/%d = %.3f (measured %s, threshold %.2f)%n",
        hits, total, rate, MEASURED, THRESHOLD);
    assertTrue(rate >= THRESHOLD, "top-5 hit rate " + rate + " below " + THRESHOLD);
  }
}
