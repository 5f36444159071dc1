package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
}
