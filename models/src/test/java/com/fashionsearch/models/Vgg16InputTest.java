package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SharedTestFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;
import org.nd4j.linalg.factory.Nd4j;

class Vgg16InputTest {
  static {
    NativeBackend.select(); // before ND4J loads: the plain build on a CPU without AVX2
  }

  /**
   * Generated portraits, plus three real catalog photos when ../shared is there (required under
   * CI).
   */
  private static List<BufferedImage> images() throws IOException {
    List<BufferedImage> images = new ArrayList<>(TestImages.portraits(3, 11));
    Optional<Path> dir =
        SharedTestFiles.environment().optionalDirectory("data", "fashion-1k", "images");
    if (dir.isPresent()) {
      try (Stream<Path> files = Files.list(dir.get())) {
        for (Path file : files.sorted().limit(3).toList()) {
          images.add(ImageIO.read(file.toFile()));
        }
      }
    } else {
      System.out.println("Vgg16InputTest: no ../shared/data/fashion-1k, generated images only");
    }
    return images;
  }

  /**
   * The input DL4J's own pipeline makes: NativeImageLoader's layout (NCHW, channel 0 = blue,
   * 0-255), then VGG16ImagePreProcessor.
   */
  private static INDArray dl4jReference(List<BufferedImage> images, ResizeMode mode) {
    int side = Vgg16Input.SIDE;
    INDArray raw = Nd4j.create(DataType.FLOAT, images.size(), 3, side, side);
    for (int i = 0; i < images.size(); i++) {
      BufferedImage square = mode.toSquare(images.get(i), side);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int rgb = square.getRGB(x, y);
          raw.putScalar(new long[] {i, 0, y, x}, rgb & 0xFF);
          raw.putScalar(new long[] {i, 1, y, x}, (rgb >> 8) & 0xFF);
          raw.putScalar(new long[] {i, 2, y, x}, (rgb >> 16) & 0xFF);
        }
      }
    }
    new VGG16ImagePreProcessor().preProcess(raw);
    return raw;
  }

  @Test
  void matchesDl4jsVgg16PreprocessorInBothResizeModes() throws IOException {
    List<BufferedImage> images = images();
    for (ResizeMode mode : ResizeMode.values()) {
      INDArray ours = new Vgg16Input(mode).nchw(images);
      INDArray reference = dl4jReference(images, mode);
      assertArrayEquals(reference.shape(), ours.shape());
      assertTrue(
          reference.equalsWithEps(ours, 1e-4),
          mode + ": max difference " + reference.sub(ours).amaxNumber());
    }
  }

  @Test
  void nhwcIsTheSameTensorInAnotherLayout() throws IOException {
    List<BufferedImage> images = images();
    Vgg16Input input = new Vgg16Input(ResizeMode.STRETCH);
    assertEquals(input.nchw(images), input.nhwc(images).permute(0, 3, 1, 2));
  }

  @Test
  void theResizeModeIsPartOfThePreprocessingIdentity() {
    assertNotEquals(new Vgg16Input(ResizeMode.PAD).id(), new Vgg16Input(ResizeMode.STRETCH).id());
    // a white pixel becomes 255 minus the mean in every channel
    INDArray x =
        new Vgg16Input(ResizeMode.PAD)
            .nchw(List.of(new BufferedImage(1, 2, BufferedImage.TYPE_INT_RGB)));
    assertEquals(
        -103.939f, x.getFloat(0, 0, 112, 112), 1e-3, "a black pixel in the centre, blue channel");
    assertEquals(255 - 123.68f, x.getFloat(0, 2, 0, 0), 1e-3, "white padding, red channel");
  }
}
