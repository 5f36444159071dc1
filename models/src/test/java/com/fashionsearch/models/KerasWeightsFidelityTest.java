package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Keras weights-only files give the vectors a plain Java VGG16 ({@link PlainVgg16}) computes with
 * the same weights under Keras' preprocessing, on both engines: fc2 from the full file, pool5 from
 * the full and from the {@code _notop} file. The files are written here from seeded random weights
 * in exactly the Keras layout (the real ImageNet files are not available offline).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KerasWeightsFidelityTest {
  static {
    NativeBackend.select();
  }

  private static final long SEED = 20_240_601L;
  private static final int CLASSES = 10;

  private Path dir;
  private Path full;
  private Path notop;

  /**
   * The batch embedded; the plain reference (about 15 GMAC in plain Java) runs on the first only.
   */
  private final List<BufferedImage> images = TestImages.portraits(2, 77);

  private float[][] referencePool5;
  private float[][] referenceFc2;

  /** The full file read once through the product's path; each embedder gets a copy of its graph. */
  private Vgg16Weights.Loaded fullLoaded;

  @BeforeAll
  void writeFilesAndComputeTheReference() throws Exception {
    dir = Files.createTempDirectory("keras-weights");
    System.out.println("KerasWeightsFidelityTest: weights seed " + SEED);
    List<KerasWeightsFixture.Layer> layers = KerasWeightsFixture.vgg16(SEED, CLASSES, true);
    full = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
    KerasWeightsFixture.write(full, layers, true); // Keras 2: /fc1/fc1/kernel:0
    notop = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
    KerasWeightsFixture.write(
        notop, KerasWeightsFixture.vgg16(SEED, 0, true), false); // flat: /fc1/kernel:0
    PlainVgg16 reference = new PlainVgg16(layers);
    referencePool5 = new float[1][];
    referenceFc2 = new float[1][];
    for (int i = 0; i < referencePool5.length; i++) {
      float[] x = PlainVgg16.input(ResizeMode.PAD.toSquare(images.get(i), Vgg16Input.SIDE));
      referencePool5[i] = reference.pool5(x);
      referenceFc2[i] = reference.fc2(referencePool5[i]);
    }
    assertTrue(
        nonZero(referenceFc2[0]) > 100,
        "the reference fc2 is not (nearly) all zero: " + nonZero(referenceFc2[0]));
    fullLoaded = Vgg16Weights.parse(full.toString()).load();
  }

  private Vgg16Embedder fromFullFile(Vgg16Embedder.Engine engine, Vgg16Features features) {
    Vgg16Weights.Loaded copy =
        new Vgg16Weights.Loaded(fullLoaded.graph().clone(), fullLoaded.weightsId(), true);
    return new Vgg16Embedder(copy, ResizeMode.PAD, engine, features);
  }

  @AfterAll
  void deleteFiles() throws Exception {
    if (fullLoaded != null) {
      fullLoaded.graph().close();
    }
    Files.deleteIfExists(full);
    Files.deleteIfExists(notop);
    Files.deleteIfExists(dir);
  }

  @Test
  void fc2FromTheFullFileMatchesThePlainReferenceOnBothEngines() {
    for (Vgg16Embedder.Engine engine : Vgg16Embedder.Engine.values()) {
      try (Vgg16Embedder embedder = fromFullFile(engine, Vgg16Features.FC2)) {
        assertEquals(engine, embedder.engine(), "the direct engine runs this graph itself");
        assertTrue(
            embedder
                .weightsId()
                .matches("file:vgg16_weights_tf_dim_ordering_tf_kernels\\.h5:sha256=[0-9a-f]{12}"),
            embedder.weightsId());
        assertEquals("pad-224-bgr-vggmean", embedder.preprocessing());
        float[][] v = embedder.embed(images);
        assertEquals(images.size(), v.length);
        for (int i = 0; i < referenceFc2.length; i++) {
          double cos = Vgg16EmbedderTest.cosine(v[i], referenceFc2[i]);
          assertTrue(cos >= 0.9999, engine + ", image " + i + ": cosine " + cos);
        }
        assertTrue(
            Vgg16EmbedderTest.cosine(v[0], v[1]) < 0.99999,
            "the second image of the batch has its own vector");
      }
    }
  }

  @Test
  void pool5FromBothFilesMatchesThePlainReferenceForEachPoolingAndEngine() {
    record Case(Path file, Vgg16Embedder.Engine engine, Vgg16Features features) {}
    List<Case> cases =
        List.of(
            new Case(notop, Vgg16Embedder.Engine.DIRECT, Vgg16Features.POOL5_GEM),
            new Case(notop, Vgg16Embedder.Engine.GRAPH, Vgg16Features.POOL5_GEM),
            new Case(notop, Vgg16Embedder.Engine.GRAPH, Vgg16Features.POOL5_AVG),
            new Case(full, Vgg16Embedder.Engine.DIRECT, Vgg16Features.POOL5_MAX));
    for (Case c : cases) {
      float[][] expected = Vgg16Embedder.normalised(pool(c.features(), referencePool5));
      try (Vgg16Embedder embedder =
          c.file().equals(full)
              ? fromFullFile(c.engine(), c.features())
              : new Vgg16Embedder(
                  Vgg16Weights.parse(c.file().toString()).resolve(),
                  ResizeMode.PAD,
                  c.engine(),
                  c.features())) {
        assertEquals(c.engine(), embedder.engine());
        assertEquals("vgg16-pool5", embedder.modelId());
        assertEquals(512, embedder.dimension());
        float[][] v = embedder.embed(images);
        for (int i = 0; i < expected.length; i++) {
          double cos = Vgg16EmbedderTest.cosine(v[i], expected[i]);
          assertTrue(cos >= 0.9999, c + ", image " + i + ": cosine " + cos);
          assertEquals(1.0, Vgg16EmbedderTest.norm(v[i]), 1e-4);
        }
      }
    }
  }

  /** Each pooling written out independently of {@link Vgg16Features#pool}. */
  private static float[][] pool(Vgg16Features features, float[][] maps) {
    float[][] out = new float[maps.length][512];
    for (int i = 0; i < maps.length; i++) {
      for (int c = 0; c < 512; c++) {
        double max = 0;
        double sum = 0;
        double cubes = 0;
        for (int p = 0; p < 49; p++) {
          double x = maps[i][p * 512 + c];
          max = Math.max(max, x);
          sum += x;
          cubes += x * x * x;
        }
        out[i][c] =
            (float)
                switch (features) {
                  case POOL5_MAX -> max;
                  case POOL5_AVG -> sum / 49;
                  default -> Math.cbrt(cubes / 49);
                };
      }
    }
    return out;
  }

  @Test
  void thePoolingsDifferAndArePartOfThePreprocessingId() {
    try (ImageEmbedder gem = Embedders.deferred("vgg16-pool5", notop.toString(), ResizeMode.PAD);
        ImageEmbedder max =
            Embedders.createAsRecorded(
                "vgg16-pool5", notop.toString(), "pad-224-bgr-vggmean,pool=max")) {
      assertEquals("pad-224-bgr-vggmean,pool=gem3", gem.preprocessing(), "GeM is the default");
      assertEquals("pad-224-bgr-vggmean,pool=max", max.preprocessing());
      assertEquals(gem.weightsId(), max.weightsId());
      assertFalse(((LazyEmbedder) gem).isBuilt());
      float[] g = gem.embed(images.subList(0, 1))[0];
      float[] m = max.embed(images.subList(0, 1))[0];
      assertTrue(
          Vgg16EmbedderTest.cosine(g, m) < 0.9999, "max and GeM pooling give different vectors");
    }
  }

  @Test
  void fc2FromTheNotopFileIsRefusedUpFrontNamingThePool5Model() {
    WeightsUnavailableException deferred =
        assertThrows(
            WeightsUnavailableException.class,
            () -> Embedders.deferred("vgg16", notop.toString(), ResizeMode.PAD));
    assertTrue(deferred.getMessage().contains("--model vgg16-pool5"), deferred.getMessage());
    assertTrue(deferred.getMessage().contains("convolutions only"), deferred.getMessage());
    assertFalse(deferred.getMessage().contains("\n"));
    WeightsUnavailableException eager =
        assertThrows(
            WeightsUnavailableException.class, () -> Embedders.create("vgg16", notop.toString()));
    assertEquals(deferred.getMessage(), eager.getMessage());
  }

  private static int nonZero(float[] v) {
    int n = 0;
    for (float x : v) {
      if (x != 0) {
        n++;
      }
    }
    return n;
  }
}
