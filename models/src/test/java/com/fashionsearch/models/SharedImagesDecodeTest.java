package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SharedTestFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every real product photo in ../shared/data decodes: the corruption checks reject no good image.
 */
class SharedImagesDecodeTest {
  @ParameterizedTest
  @ValueSource(strings = {"fashion-1k", "fashion-5k"})
  void decodesEveryImageOfTheSharedSample(String name) throws IOException {
    Path images = SharedTestFiles.environment().directory("data", name, "images");
    List<Path> files;
    try (Stream<Path> list = Files.list(images)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
    }
    assertTrue(
        files.size() >= 1000,
        "expected at least 1000 photos in " + images + ", found " + files.size());
    List<String> rejected = new ArrayList<>();
    for (Path file : files) {
      try {
        BufferedImage image = ImageDecoder.decode(file);
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType(), file.toString());
      } catch (ImageRejectedException e) {
        rejected.add(e.reason() + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), rejected, rejected.size() + " of " + files.size() + " rejected");
  }

  /**
   * The catalog photos (60 x 80) are far below the subsampling threshold: the decoder's pixels are
   * exactly those of a plain full-size ImageIO read, so their embeddings are unchanged.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fashion-1k", "fashion-5k"})
  void decodesTheSharedPhotosPixelForPixelAsAFullSizeRead(String name) throws Exception {
    Path images = SharedTestFiles.environment().directory("data", name, "images");
    List<Path> files;
    try (Stream<Path> list = Files.list(images)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
    }
    assertTrue(
        files.size() >= 1000,
        "expected at least 1000 photos in " + images + ", found " + files.size());
    int compared = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      ImageDecoder.Header header = ImageDecoder.header(bytes, file.toString());
      assertEquals(
          1,
          header.subsampling(ImageDecoder.DEFAULT_MIN_SIDE),
          file + " is " + header.width() + "x" + header.height());
      BufferedImage decoded = ImageDecoder.decode(bytes, file.toString());
      BufferedImage reference = ImageDecoder.toRgb(ImageIO.read(file.toFile()));
      assertEquals(reference.getWidth(), decoded.getWidth(), file.toString());
      assertEquals(reference.getHeight(), decoded.getHeight(), file.toString());
      int w = reference.getWidth();
      int h = reference.getHeight();
      assertArrayEquals(
          reference.getRGB(0, 0, w, h, null, 0, w),
          decoded.getRGB(0, 0, w, h, null, 0, w),
          file.toString());
      compared++;
    }
    assertEquals(files.size(), compared);
  }
}
