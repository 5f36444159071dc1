package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not VGG16 Keras weights fail when the weights are resolved (before any network is
 * built, so a reindex loses nothing) with one line naming the file and the problem. The fixtures
 * hold the shapes only (HDF5 datasets without data), except the truncated one.
 */
class KerasWeightsErrorsTest {
  static {
    NativeBackend.select();
  }

  @TempDir Path dir;

  private String failure(String model, Path file) {
    WeightsUnavailableException e =
        assertThrows(
            WeightsUnavailableException.class,
            () -> Embedders.deferred(model, file.toString(), ResizeMode.PAD));
    String m = e.getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    assertTrue(m.contains(file.toAbsolutePath().toString()), m);
    assertTrue(m.contains("random[:SEED]"), "names the ways to give weights: " + m);
    return m;
  }

  @Test
  void theShapeOnlyFixtureIsAcceptedSoTheOtherFailuresMeanSomething() {
    Path file = dir.resolve("vgg16.h5");
    KerasWeightsFixture.write(file, KerasWeightsFixture.vgg16(1, 1000, false), true);
    try (ImageEmbedder e = Embedders.deferred("vgg16", file.toString(), ResizeMode.PAD)) {
      assertTrue(e.weightsId().startsWith("file:vgg16.h5:sha256="), e.weightsId());
    }
  }

  @Test
  void aTruncatedFileIsNamed() throws Exception {
    Path file = dir.resolve("vgg16_notop.h5");
    KerasWeightsFixture.write(file, KerasWeightsFixture.vgg16(3, 0, true), true);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() * 2 / 3);
    }
    String m = failure("vgg16-pool5", file);
    assertTrue(m.contains("truncated"), m);
  }

  @Test
  void aResNetFileIsNotVgg16() {
    Path file = dir.resolve("resnet50.h5");
    List<KerasWeightsFixture.Layer> layers = new ArrayList<>();
    layers.add(new KerasWeightsFixture.Layer("input_1", List.of()));
    layers.add(KerasWeightsFixture.layer("conv1_conv", new long[] {7, 7, 3, 64}, null, null));
    layers.add(
        KerasWeightsFixture.layer("conv2_block1_1_conv", new long[] {1, 1, 64, 64}, null, null));
    layers.add(KerasWeightsFixture.layer("predictions", new long[] {2048, 1000}, null, null));
    KerasWeightsFixture.write(file, layers, true);
    String m = failure("vgg16", file);
    assertTrue(m.contains("not VGG16 weights") && m.contains("conv1_conv"), m);
  }

  @Test
  void aVgg19FileNamesTheExtraLayers() {
    Path file = dir.resolve("vgg19.h5");
    List<KerasWeightsFixture.Layer> layers =
        new ArrayList<>(KerasWeightsFixture.vgg16(1, 1000, false));
    for (String extra : List.of("block3_conv4", "block4_conv4", "block5_conv4")) {
      long in = extra.startsWith("block3") ? 256 : 512;
      layers.add(KerasWeightsFixture.layer(extra, new long[] {3, 3, in, in}, null, null));
    }
    KerasWeightsFixture.write(file, layers, true);
    String m = failure("vgg16", file);
    assertTrue(m.contains("[block3_conv4, block4_conv4, block5_conv4]") && m.contains("VGG19"), m);
  }

  @Test
  void aMissingLayerIsNamed() {
    Path file = dir.resolve("vgg16_missing.h5");
    List<KerasWeightsFixture.Layer> layers =
        new ArrayList<>(KerasWeightsFixture.vgg16(1, 0, false));
    layers.removeIf(l -> l.name().equals("block3_conv2"));
    KerasWeightsFixture.write(file, layers, true);
    String m = failure("vgg16-pool5", file);
    assertTrue(m.contains("missing: [block3_conv2]"), m);
  }

  @Test
  void aPartialTopNamesTheMissingDenseLayer() {
    Path file = dir.resolve("vgg16_partial.h5");
    List<KerasWeightsFixture.Layer> layers =
        new ArrayList<>(KerasWeightsFixture.vgg16(1, 1000, false));
    layers.removeIf(l -> l.name().equals("predictions"));
    KerasWeightsFixture.write(file, layers, true);
    String m = failure("vgg16", file);
    assertTrue(m.contains("missing: [predictions]"), m);
  }

  @Test
  void aWrongShapeNamesTheLayerAndBothShapes() {
    Path file = dir.resolve("vgg16_shape.h5");
    List<KerasWeightsFixture.Layer> layers =
        new ArrayList<>(KerasWeightsFixture.vgg16(1, 1000, false));
    layers.replaceAll(
        l ->
            l.name().equals("block2_conv1")
                ? KerasWeightsFixture.layer("block2_conv1", new long[] {3, 3, 64, 64}, null, null)
                : l);
    KerasWeightsFixture.write(file, layers, true);
    String m = failure("vgg16", file);
    assertTrue(
        m.contains("layer block2_conv1 kernel has shape [3, 3, 64, 64], expected [3, 3, 64, 128]"),
        m);

    Path fc1 = dir.resolve("vgg16_fc1.h5");
    layers = new ArrayList<>(KerasWeightsFixture.vgg16(1, 1000, false));
    layers.replaceAll(
        l ->
            l.name().equals("fc1")
                ? KerasWeightsFixture.layer("fc1", new long[] {4608, 4096}, null, null)
                : l);
    KerasWeightsFixture.write(fc1, layers, true);
    m = failure("vgg16", fc1);
    assertTrue(m.contains("layer fc1 kernel has shape [4608, 4096], expected [25088, 4096]"), m);
  }

  @Test
  void anHdf5FileThatIsNeitherAKerasModelNorKerasWeightsIsNamed() {
    Path bare = dir.resolve("other.h5");
    KerasWeightsFixture.writeBare(bare);
    String m = failure("vgg16", bare);
    assertTrue(m.contains("neither a Keras model") && m.contains("layer_names"), m);

    Path empty = dir.resolve("empty.h5");
    KerasWeightsFixture.write(empty, List.of(), true); // layer_names, but no layers
    m = failure("vgg16", empty);
    assertTrue(m.contains("missing: [block1_conv1, block1_conv2"), m);
  }

  @Test
  void aWholeKerasModelFileStillGoesThroughDl4jsModelImport() {
    Path file = dir.resolve("model.h5");
    KerasWeightsFixture.writeRootAttribute(
        file, "model_config", "{\"class_name\": \"Functional\"}");
    assertEquals(Vgg16Weights.FileFormat.KERAS_MODEL, Vgg16Weights.formatOf(file));
    try (ImageEmbedder deferred = Embedders.deferred("vgg16", file.toString(), ResizeMode.PAD)) {
      // resolving a whole model checks only the file; the import fails when the network is built
      WeightsUnavailableException e =
          assertThrows(WeightsUnavailableException.class, deferred::ensureBuilt);
      assertTrue(
          e.getMessage().contains("cannot read VGG16 weights from " + file.toAbsolutePath()),
          e.getMessage());
    }
  }

  @Test
  void aFileThatIsNotHdf5ButNamedH5IsReadAsAModelZipAndFailsWhenBuilt() throws Exception {
    Path file = dir.resolve("vgg16.h5");
    Files.writeString(file, "not a model");
    try (ImageEmbedder deferred = Embedders.deferred("vgg16", file.toString(), ResizeMode.PAD)) {
      WeightsUnavailableException e =
          assertThrows(WeightsUnavailableException.class, deferred::ensureBuilt);
      assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    }
  }
}
