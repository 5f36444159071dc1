package com.fashionsearch.models.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectionTrainerTest {
  private static final long DATA_SEED = 20261203L;
  private static final int DIM = 48;

  /**
   * Products whose class shows only in a weak signal on the first dimensions, under strong noise on
   * all of them, plus a second label (a "colour") carried by other dimensions. Unit length.
   */
  private record Data(float[][] vectors, String[] type, String[] colour) {}

  private static Data data(int perClass, int classes, long seed) {
    Random r = new Random(seed);
    int n = perClass * classes;
    float[][] v = new float[n][DIM];
    String[] type = new String[n];
    String[] colour = new String[n];
    for (int i = 0; i < n; i++) {
      int c = i % classes;
      int col = r.nextInt(3);
      type[i] = "type" + c;
      colour[i] = "colour" + col;
      for (int j = 0; j < DIM; j++) {
        v[i][j] = (float) (r.nextGaussian() * 1.0);
      }
      v[i][c] += 2.5f; // a class signal on one dimension among many noisy ones
      v[i][DIM - 1 - col] += 1.5f;
      normalise(v[i]);
    }
    return new Data(v, type, colour);
  }

  private static void normalise(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
  }

  private static ProjectionTrainer.Settings settings(List<String> columns) {
    ProjectionTrainer.Settings d = ProjectionTrainer.Settings.defaults(columns);
    return new ProjectionTrainer.Settings(
        d.columns(),
        16,
        ProjectionInfo.Space.CLASSES,
        1.0,
        40,
        32,
        3e-3,
        1e-4,
        1.0,
        16,
        5,
        0.2,
        42);
  }

  /** Mean P@10 of the rows in {@code queries} searched among the rest, by dot product. */
  private static double precisionAt10(
      float[][] vectors, String[] label, int[] queries, int[] catalog) {
    double sum = 0;
    for (int q : queries) {
      Integer[] order = Arrays.stream(catalog).boxed().toArray(Integer[]::new);
      Arrays.sort(
          order, (a, b) -> Float.compare(dot(vectors[b], vectors[q]), dot(vectors[a], vectors[q])));
      int hits = 0;
      for (int i = 0; i < 10; i++) {
        hits += label[order[i]].equals(label[q]) ? 1 : 0;
      }
      sum += hits / 10.0;
    }
    return sum / queries.length;
  }

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void theLearnedSpaceFindsTheClassOfUnseenProductsFarBetterThanTheRawOne() {
    Data train = data(60, 6, DATA_SEED);
    Data unseen = data(20, 6, DATA_SEED + 1);
    try (ProjectionTrainer.Trained t =
        new ProjectionTrainer(settings(List.of("articleType")))
            .train(train.vectors(), Map.of("articleType", train.type()))) {
      LabelProjection p = t.projection();
      // unseen products query the training catalog
      int n = train.vectors().length;
      int m = unseen.vectors().length;
      float[][] raw = new float[n + m][];
      float[][] learned = new float[n + m][];
      String[] label = new String[n + m];
      for (int i = 0; i < n; i++) {
        raw[i] = train.vectors()[i];
        learned[i] = p.apply(train.vectors()[i]);
        label[i] = train.type()[i];
      }
      for (int i = 0; i < m; i++) {
        raw[n + i] = unseen.vectors()[i];
        learned[n + i] = p.apply(unseen.vectors()[i]);
        label[n + i] = unseen.type()[i];
      }
      int[] catalog = java.util.stream.IntStream.range(0, n).toArray();
      int[] queries = java.util.stream.IntStream.range(n, n + m).toArray();
      double before = precisionAt10(raw, label, queries, catalog);
      double after = precisionAt10(learned, label, queries, catalog);
      assertTrue(
          after > before + 0.15,
          "learned P@10 " + after + " vs raw " + before + " (data seed " + DATA_SEED + ")");
      assertTrue(
          p.info().heads().get(0).validationAccuracy() > 0.5, "validation accuracy " + p.info());
      assertTrue(p.info().validationPrecision() > 0.4, "validation P@10 " + p.info());
    }
  }

  @Test
  void trainingIsDeterministicForASeedAndDiffersForAnother() {
    Data d = data(30, 4, DATA_SEED);
    Map<String, String[]> labels = Map.of("articleType", d.type());
    float[] probe = d.vectors()[7];
    float[] a;
    float[] b;
    float[] c;
    try (var t =
        new ProjectionTrainer(settings(List.of("articleType"))).train(d.vectors(), labels)) {
      a = t.projection().apply(probe);
    }
    try (var t =
        new ProjectionTrainer(settings(List.of("articleType"))).train(d.vectors(), labels)) {
      b = t.projection().apply(probe);
    }
    try (var t =
        new ProjectionTrainer(settings(List.of("articleType")).withSeed(43))
            .train(d.vectors(), labels)) {
      c = t.projection().apply(probe);
    }
    assertArrayEquals(a, b, 1e-6f, "same seed, same projection");
    assertFalse(Arrays.equals(a, c), "another seed, another projection");
  }

  @Test
  void heldOutProductsMeasureTheSettingsThenEveryProductTrainsTheProjection() {
    Data d = data(50, 4, DATA_SEED);
    Map<String, String[]> labels = Map.of("articleType", d.type());
    ProjectionTrainer.Settings s = settings(List.of("articleType"));
    try (var validated = new ProjectionTrainer(s).train(d.vectors(), labels);
        var all = new ProjectionTrainer(s.withValidationShare(0)).train(d.vectors(), labels)) {
      ProjectionInfo info = validated.projection().info();
      assertEquals(40, info.validationProducts(), "a fifth held out to measure");
      assertEquals(200, info.trainingProducts(), "then fitted again on every product");
      assertTrue(
          info.heads().get(0).validationAccuracy() > 0.4,
          "above chance (0.25), measured before the refit: " + info);
      assertTrue(Double.isFinite(info.validationPrecision()), "measured before the refit: " + info);
      for (float[] x : Arrays.copyOf(d.vectors(), 20)) {
        assertArrayEquals(
            all.projection().apply(x),
            validated.projection().apply(x),
            1e-6f,
            "the refit is the fit on every product with the same seed");
      }
    }
  }

  @Test
  void atMostAThousandProductsAreHeldOut() {
    Data d = data(1_500, 4, DATA_SEED);
    try (var t =
        new ProjectionTrainer(settings(List.of("articleType")).withEpochs(1))
            .train(d.vectors(), Map.of("articleType", d.type()))) {
      assertEquals(
          ProjectionTrainer.MAX_VALIDATION_PRODUCTS, t.projection().info().validationProducts());
      assertEquals(6_000, t.projection().info().trainingProducts());
    }
  }

  @Test
  void classesTooSmallToLearnAreLeftOutAndReported() {
    Data d = data(20, 3, DATA_SEED);
    String[] type = d.type().clone();
    type[0] = "rare";
    type[1] = "rare";
    type[2] = "";
    try (var t =
        new ProjectionTrainer(settings(List.of("articleType")).withValidationShare(0))
            .train(d.vectors(), Map.of("articleType", type))) {
      ProjectionInfo.Head head = t.projection().info().heads().get(0);
      assertEquals(Map.of("rare", 2), head.ignored());
      assertEquals(List.of("type0", "type1", "type2"), head.classes());
    }
  }

  @Test
  void severalHeadsTrainTogetherAndTheBlendKeepsTheRawSimilarity() {
    Data d = data(30, 4, DATA_SEED);
    Map<String, String[]> labels = new LinkedHashMap<>();
    labels.put("articleType", d.type());
    labels.put("baseColour", d.colour());
    ProjectionTrainer.Settings s =
        settings(List.of("articleType", "baseColour"))
            .withSpace(ProjectionInfo.Space.EMBEDDING)
            .withBlend(0.5);
    try (var t = new ProjectionTrainer(s).train(d.vectors(), labels)) {
      LabelProjection p = t.projection();
      assertEquals(List.of("articleType", "baseColour"), p.info().columns());
      assertEquals(DIM + 16, p.outputDimension());
      float[] x = d.vectors()[3];
      float[] y = d.vectors()[9];
      float[] px = p.apply(x);
      float[] py = p.apply(y);
      assertEquals(1.0, dot(px, px), 1e-5);
      // the dot product is half the raw cosine plus half the learned one
      float[] ex = Arrays.copyOfRange(px, DIM, DIM + 16);
      float[] ey = Arrays.copyOfRange(py, DIM, DIM + 16);
      double learnedCos = dot(ex, ey) / Math.sqrt(dot(ex, ex) * dot(ey, ey));
      assertEquals(0.5 * dot(x, y) + 0.5 * learnedCos, dot(px, py), 1e-5);

      // the classes' space: per column the square roots of the probabilities, weighted 1 : 0.5
      LabelProjection classes = p.with(ProjectionInfo.Space.CLASSES, 1.0);
      assertEquals(4 + 3, classes.outputDimension());
      float[] q = classes.apply(x);
      double typePart = 0;
      for (int i = 0; i < 4; i++) {
        assertTrue(q[i] >= 0, "a square root of a probability: " + q[i]);
        typePart += q[i] * q[i];
      }
      assertEquals(1.0 / 1.5, typePart, 1e-5, "articleType's share of the unit vector");
      assertEquals(1.0, dot(q, q), 1e-5);
    }
  }

  /** {@code visual} dimensions of noise in front of {@link #data}'s vectors; unit length. */
  private static float[][] behindNoise(float[][] features, int visual, long seed) {
    Random r = new Random(seed);
    float[][] out = new float[features.length][];
    for (int i = 0; i < features.length; i++) {
      out[i] = new float[visual + features[i].length];
      for (int j = 0; j < visual; j++) {
        out[i][j] = (float) r.nextGaussian();
      }
      System.arraycopy(features[i], 0, out[i], visual, features[i].length);
      normalise(out[i]);
    }
    return out;
  }

  @Test
  void featuresBehindTheVisualPartTrainTheProjectionWhileTheBlendKeepsOnlyTheVisualPart(
      @TempDir Path dir) throws Exception {
    int visual = 8;
    Data train = data(60, 6, DATA_SEED);
    Data unseen = data(20, 6, DATA_SEED + 1);
    float[][] x = behindNoise(train.vectors(), visual, 5);
    float[][] y = behindNoise(unseen.vectors(), visual, 6);
    try (ProjectionTrainer.Trained t =
        new ProjectionTrainer(settings(List.of("articleType")).withBlend(0.75))
            .train(x, visual, Map.of("articleType", train.type()))) {
      LabelProjection p = t.projection();
      assertEquals(visual, p.info().visualDimension());
      assertEquals(visual + DIM, p.inputDimension());
      assertEquals(visual + p.learnedDimension(), p.outputDimension());
      float[] v = p.apply(y[0]);
      float[] head = Arrays.copyOf(v, visual);
      float[] expected = Arrays.copyOf(y[0], visual);
      normalise(expected);
      assertEquals(0.5, Math.sqrt(dot(head, head)), 1e-5, "sqrt(1 - blend) of the visual part");
      assertEquals(1.0, dot(head, expected) / 0.5, 1e-5, "the visual part, nothing behind it");
      // the class shows only behind the visual part: the learned part finds it, the visual not
      LabelProjection learned = p.with(ProjectionInfo.Space.CLASSES, 1.0);
      int n = x.length;
      float[][] visualOnly = new float[n + y.length][];
      float[][] projected = new float[n + y.length][];
      String[] label = new String[n + y.length];
      for (int i = 0; i < n + y.length; i++) {
        float[] row = i < n ? x[i] : y[i - n];
        visualOnly[i] = Arrays.copyOf(row, visual);
        normalise(visualOnly[i]);
        projected[i] = learned.apply(row);
        label[i] = i < n ? train.type()[i] : unseen.type()[i - n];
      }
      int[] catalog = java.util.stream.IntStream.range(0, n).toArray();
      int[] queries = java.util.stream.IntStream.range(n, n + y.length).toArray();
      double fromVisual = precisionAt10(visualOnly, label, queries, catalog);
      double fromLearned = precisionAt10(projected, label, queries, catalog);
      assertTrue(
          fromLearned > fromVisual + 0.15,
          "learned P@10 " + fromLearned + " vs the visual part's " + fromVisual);
      t.save(dir);
      assertEquals(visual, LabelProjection.load(dir).info().visualDimension());
      java.util.Properties old = p.info().toProperties();
      old.remove("visual.dimension");
      assertEquals(
          visual + DIM,
          ProjectionInfo.fromProperties(old).visualDimension(),
          "a projection saved before the visual part was recorded blends its whole input");
    }
    ProjectionTrainer trainer = new ProjectionTrainer(settings(List.of("articleType")));
    for (int bad : new int[] {0, visual + DIM + 1}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> trainer.train(x, bad, Map.of("articleType", train.type())));
      assertTrue(e.getMessage().contains("visual part"), e.getMessage());
    }
  }

  @Test
  void aSavedProjectionLoadsBackToTheSameVectors(@TempDir Path dir) throws Exception {
    Data d = data(20, 3, DATA_SEED);
    try (var t =
        new ProjectionTrainer(settings(List.of("articleType")).withBlend(0.75))
            .train(d.vectors(), Map.of("articleType", d.type()))) {
      t.save(dir);
      LabelProjection loaded = LabelProjection.load(dir);
      assertEquals(t.projection().info(), loaded.info());
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(
            t.projection().apply(d.vectors()[i]), loaded.apply(d.vectors()[i]), 1e-6f);
      }
    }
  }

  @Test
  void badInputIsRefusedNamingTheProblem() {
    Data d = data(10, 2, DATA_SEED);
    ProjectionTrainer trainer = new ProjectionTrainer(settings(List.of("articleType")));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> trainer.train(d.vectors(), Map.of()));
    assertTrue(missing.getMessage().contains("articleType"), missing.getMessage());
    String[] one = new String[d.vectors().length];
    Arrays.fill(one, "same");
    IllegalArgumentException nothing =
        assertThrows(
            IllegalArgumentException.class,
            () -> trainer.train(d.vectors(), Map.of("articleType", one)));
    assertTrue(nothing.getMessage().contains("nothing to learn"), nothing.getMessage());
    try (var t = trainer.train(d.vectors(), Map.of("articleType", d.type()))) {
      IllegalArgumentException dim =
          assertThrows(IllegalArgumentException.class, () -> t.projection().apply(new float[3]));
      assertTrue(dim.getMessage().contains("dimension " + DIM), dim.getMessage());
    }
  }
}
