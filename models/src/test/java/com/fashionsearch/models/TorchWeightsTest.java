package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * torchvision state dicts, in the zip container and the legacy stream, written here from the same
 * seeded weights as the Keras fixtures (converted to torch's layouts): they must fill the VGG16
 * graph with exactly the weights the Keras files give, and be embedded with torchvision's
 * normalization. The real {@code vgg16-397923af.pth} is not available offline.
 */
class TorchWeightsTest {
  static {
    NativeBackend.select();
  }

  private static final long SEED = 424_242L;

  @TempDir Path dir;

  @Test
  void convolutionsFromTheZipAndTheLegacyFileEqualThoseFromTheKerasFile() throws Exception {
    List<KerasWeightsFixture.Layer> keras = KerasWeightsFixture.vgg16(SEED, 0, true);
    Path h5 = dir.resolve("notop.h5");
    KerasWeightsFixture.write(h5, keras, true);
    Map<String, TorchFixture.Tensor> torch = TorchFixture.fromKeras(keras);
    Path zip = dir.resolve("vgg16-features.pth");
    TorchFixture.writeZip(zip, torch);
    Path legacy = dir.resolve("vgg16-features-legacy.pth");
    TorchFixture.writeLegacy(legacy, torch);
    assertEquals(Vgg16Weights.FileFormat.TORCH, Vgg16Weights.formatOf(zip));
    assertEquals(Vgg16Weights.FileFormat.TORCH, Vgg16Weights.formatOf(legacy));
    Vgg16Weights.Loaded expected = Vgg16Weights.parse(h5.toString()).load();
    try {
      for (Path file : List.of(zip, legacy)) {
        Vgg16Weights.Resolved resolved = Vgg16Weights.parse(file.toString()).resolve();
        assertTrue(resolved.convolutionsOnly(), file.toString());
        assertEquals(Vgg16Input.Normalization.RGB_TORCH, resolved.normalization());
        Vgg16Weights.Loaded loaded = resolved.load();
        try {
          assertEquals(Vgg16Input.Normalization.RGB_TORCH, loaded.normalization());
          for (Vgg16Graph.Conv conv : Vgg16Graph.CONVS) {
            for (String param : List.of("W", "b")) {
              INDArray want = expected.graph().getLayer(conv.name()).getParam(param);
              INDArray got = loaded.graph().getLayer(conv.name()).getParam(param);
              assertArrayEquals(want.shape(), got.shape());
              assertEquals(
                  0.0,
                  want.sub(got).amaxNumber().doubleValue(),
                  file.getFileName() + " " + conv.name() + " " + param);
            }
          }
        } finally {
          loaded.graph().close();
        }
      }
    } finally {
      expected.graph().close();
    }
  }

  @Test
  void theClassifierIsTransposedAndClassifier0KeepsItsChwInputOrder() throws Exception {
    List<KerasWeightsFixture.Layer> keras = KerasWeightsFixture.vgg16(SEED, 10, true);
    Path zip = dir.resolve("vgg16.pth");
    TorchFixture.writeZip(zip, TorchFixture.fromKeras(keras));
    Vgg16Weights.Loaded loaded = Vgg16Weights.parse(zip.toString()).load();
    ComputationGraph graph = loaded.graph();
    try {
      float[] fc1 = KerasWeightsFixture.values(keras, "fc1", "kernel"); // rows (h, w, c)
      INDArray w1 = graph.getLayer("fc1").getParam("W"); // rows (c, h, w), as DL4J's NCHW flatten
      SplittableRandom random = new SplittableRandom(SEED);
      for (int i = 0; i < 2000; i++) {
        int h = random.nextInt(7);
        int w = random.nextInt(7);
        int c = random.nextInt(512);
        int j = random.nextInt(4096);
        assertEquals(
            fc1[((h * 7 + w) * 512 + c) * 4096 + j],
            w1.getFloat((long) c * 49 + h * 7 + w, j),
            0f,
            "fc1 " + h + "," + w + "," + c + "," + j);
      }
      float[] fc2 = KerasWeightsFixture.values(keras, "fc2", "kernel");
      float[] predictions = KerasWeightsFixture.values(keras, "predictions", "kernel");
      for (int i = 0; i < 2000; i++) {
        int r = random.nextInt(4096);
        int j = random.nextInt(4096);
        assertEquals(fc2[r * 4096 + j], graph.getLayer("fc2").getParam("W").getFloat(r, j), 0f);
        int k = random.nextInt(10);
        assertEquals(
            predictions[r * 10 + k],
            graph.getLayer("predictions").getParam("W").getFloat(r, k),
            0f);
      }
      assertArrayEquals(
          KerasWeightsFixture.values(keras, "fc1", "bias"),
          graph.getLayer("fc1").getParam("b").dup().data().asFloat());
    } finally {
      graph.close();
    }
  }

  @Test
  void torchvisionNormalizationIsUsedAndRecorded() throws Exception {
    BufferedImage red = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = red.createGraphics();
    g.setColor(new Color(255, 0, 0));
    g.fillRect(0, 0, 224, 224);
    g.dispose();
    Vgg16Input torch = new Vgg16Input(ResizeMode.PAD, Vgg16Input.Normalization.RGB_TORCH);
    assertEquals("pad-224-rgb-torchnorm", torch.id());
    assertArrayEquals(
        new float[] {(1 - 0.485f) / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f},
        pixel(torch.nhwc(List.of(red))),
        1e-5f);
    assertArrayEquals(
        new float[] {(1 - 0.485f) / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f},
        pixelNchw(torch.nchw(List.of(red))),
        1e-5f);
    Vgg16Input keras = new Vgg16Input(ResizeMode.PAD);
    assertArrayEquals(
        new float[] {-103.939f, -116.779f, 255 - 123.68f}, pixel(keras.nhwc(List.of(red))), 1e-4f);

    Path zip = dir.resolve("features.pth");
    TorchFixture.writeZip(zip, TorchFixture.fromKeras(KerasWeightsFixture.vgg16(SEED, 0, true)));
    try (ImageEmbedder e = Embedders.deferred("vgg16-pool5", zip.toString(), ResizeMode.PAD)) {
      assertEquals("pad-224-rgb-torchnorm,pool=gem3", e.preprocessing());
      assertTrue(e.weightsId().matches("file:features\\.pth:sha256=[0-9a-f]{12}"), e.weightsId());
      float[] v = e.embed(List.of(red))[0];
      assertEquals(512, v.length);
      assertEquals(1.0, Vgg16EmbedderTest.norm(v), 1e-4);
    }
    WeightsUnavailableException fc2 =
        assertThrows(
            WeightsUnavailableException.class,
            () -> Embedders.deferred("vgg16", zip.toString(), ResizeMode.PAD));
    assertTrue(fc2.getMessage().contains("--model vgg16-pool5"), fc2.getMessage());
  }

  @Test
  void otherNetworksAndDamagedFilesAreNamedBeforeAnythingIsBuilt() throws Exception {
    Map<String, TorchFixture.Tensor> resnet = new LinkedHashMap<>();
    resnet.put("conv1.weight", new TorchFixture.Tensor(new long[] {2, 3, 1, 1}, new float[6]));
    resnet.put("fc.bias", new TorchFixture.Tensor(new long[] {2}, new float[2]));
    Path other = dir.resolve("resnet.pth");
    TorchFixture.writeZip(other, resnet);
    String m = failure(other);
    assertTrue(
        m.contains("is not a torchvision VGG16 state dict") && m.contains("conv1.weight"), m);

    Map<String, TorchFixture.Tensor> bn =
        new LinkedHashMap<>(TorchFixture.fromKeras(KerasWeightsFixture.vgg16(SEED, 0, true)));
    bn.put("features.1.running_mean", new TorchFixture.Tensor(new long[] {64}, new float[64]));
    Path batchNorm = dir.resolve("vgg16_bn.pth");
    TorchFixture.writeLegacy(batchNorm, bn);
    m = failure(batchNorm);
    assertTrue(m.contains("has tensors VGG16 does not have: [features.1.running_mean]"), m);

    Path truncated = dir.resolve("truncated.pth");
    TorchFixture.writeLegacy(
        truncated, TorchFixture.fromKeras(KerasWeightsFixture.vgg16(SEED, 0, true)));
    try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw")) {
      raf.setLength(raf.length() * 2 / 3);
    }
    m = failure(truncated);
    assertTrue(m.contains("truncated"), m);

    Path truncatedZip = dir.resolve("truncated-zip.pth");
    TorchFixture.writeZip(
        truncatedZip, TorchFixture.fromKeras(KerasWeightsFixture.vgg16(SEED, 0, true)));
    try (RandomAccessFile raf = new RandomAccessFile(truncatedZip.toFile(), "rw")) {
      raf.setLength(raf.length() * 2 / 3);
    }
    Path misnamed = dir.resolve("vgg16-397923af.pth"); // torch hub's name: its SHA-256 starts so
    TorchFixture.writeZip(misnamed, resnet);
    m = failure(misnamed);
    assertTrue(m.contains("its name says its SHA-256 starts with 397923af"), m);

    m = failure(truncatedZip); // without its central directory the zip is not recognised as a torch
    // file
    assertTrue(m.contains("is named .pth but is not a torch state dict"), m);
  }

  private static float[] pixel(INDArray nhwc) {
    return new float[] {
      nhwc.getFloat(0, 100, 100, 0), nhwc.getFloat(0, 100, 100, 1), nhwc.getFloat(0, 100, 100, 2)
    };
  }

  private static float[] pixelNchw(INDArray nchw) {
    return new float[] {
      nchw.getFloat(0, 0, 100, 100), nchw.getFloat(0, 1, 100, 100), nchw.getFloat(0, 2, 100, 100)
    };
  }

  private String failure(Path file) {
    WeightsUnavailableException e =
        assertThrows(
            WeightsUnavailableException.class,
            () -> Embedders.deferred("vgg16-pool5", file.toString(), ResizeMode.PAD));
    String m = e.getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    assertTrue(m.contains(file.toAbsolutePath().toString()), m);
    return m;
  }
}
