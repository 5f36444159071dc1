package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** Every real product photo in ../shared/data decodes: the corruption checks reject no good image. */
class SharedImagesDecodeTest {
  @ParameterizedTest
  @ValueSource(strings = {"fashion-1k", "fashion-5k"})
  void decodesEveryImageOfTheSharedSample(String name) throws IOException {
    String shared = System.getProperty("fashion.shared");
    assumeTrue(shared != null, "system property fashion.shared not set (surefire sets it); skipping " + name);
    Path images = Path.of(shared, "data", name, "images");
    assumeTrue(Files.isDirectory(images), "shared images absent: " + images + "; skipping");
    List<Path> files;
    try (Stream<Path> list = Files.list(images)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
    }
    assumeTrue(!files.isEmpty(), "no images in " + images + "; skipping");
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
    Path images = sharedImages(name);
    List<Path> files;
    try (Stream<Path> list = Files.list(images)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
    }
    assertTrue(files.size() >= 1000, "expected at least 1000 photos in " + images + ", found " + files.size());
    int compared = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      ImageDecoder.Header header = ImageDecoder.header(bytes, file.toString());
      assertEquals(1, header.subsampling(ImageDecoder.DEFAULT_MIN_SIDE), file + " is " + header.width() + "x" + header.height());
      BufferedImage decoded = ImageDecoder.decode(bytes, file.toString());
      BufferedImage reference = ImageDecoder.toRgb(ImageIO.read(file.toFile()));
      assertEquals(reference.getWidth(), decoded.getWidth(), file.toString());
      assertEquals(reference.getHeight(), decoded.getHeight(), file.toString());
      int w = reference.getWidth();
      int h = reference.getHeight();
      assertArrayEquals(reference.getRGB(0, 0, w, h, null, 0, w), decoded.getRGB(0, 0, w, h, null, 0, w), file.toString());
      compared++;
    }
    assertEquals(files.size(), compared);
  }

  /** The shared sample's images folder; fails under CI=true when it is absent, skips elsewhere. */
  private static Path sharedImages(String name) {
    String shared = System.getProperty("fashion.shared");
    Path images = shared == null ? null : Path.of(shared, "data", name, "images");
    if (images == null || !Files.isDirectory(images)) {
      String message = "shared images absent: " + images + " (system property fashion.shared=" + shared + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + "; CI=true needs ../shared");
      }
      assumeTrue(false, message + "; skipping");
    }
    return images;
  }
}
