package com.fashionsearch.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format and fault ImageDecoder handles, from images made here. */
class ImageDecoderTest {
  @TempDir Path dir;

  /** A photo-like image: smooth gradients plus seeded noise, so that JPEG scans carry real data. */
  static BufferedImage photo(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = Math.min(255, x * 255 / width + random.nextInt(20));
        int g = Math.min(255, y * 255 / height + random.nextInt(20));
        int b = Math.min(255, 128 + random.nextInt(40));
        image.setRGB(x, y, new Color(r, g, b).getRGB());
      }
    }
    return image;
  }

  static BufferedImage filled(int width, int height, int type, Color colour) {
    BufferedImage image = new BufferedImage(width, height, type);
    var g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, bytes), "no ImageIO writer for " + format);
    return bytes.toByteArray();
  }

  static void assertColour(Color expected, int rgb, int tolerance) {
    Color actual = new Color(rgb);
    int d =
        Math.max(
            Math.abs(expected.getRed() - actual.getRed()),
            Math.max(
                Math.abs(expected.getGreen() - actual.getGreen()),
                Math.abs(expected.getBlue() - actual.getBlue())));
    assertTrue(d <= tolerance, "expected " + expected + " within " + tolerance + ", got " + actual);
  }

  static double meanAbsDifference(BufferedImage a, BufferedImage b) {
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
        }
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }

  static ImageRejectedException rejected(byte[] bytes, String name) {
    return assertThrows(ImageRejectedException.class, () -> ImageDecoder.decode(bytes, name));
  }

  @Test
  void decodesABaselineJpegCloseToTheOriginal() throws Exception {
    BufferedImage original = photo(60, 80, 1);
    BufferedImage decoded = ImageDecoder.decode(jpeg(original, false), "baseline.jpg");
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
    assertEquals(60, decoded.getWidth());
    assertEquals(80, decoded.getHeight());
    assertTrue(
        meanAbsDifference(original, decoded) < 6,
        "mean difference " + meanAbsDifference(original, decoded));
  }

  @Test
  void decodesAProgressiveJpeg() throws Exception {
    BufferedImage original = photo(64, 48, 2);
    byte[] bytes = jpeg(original, true);
    assertTrue(containsMarker(bytes, 0xC2), "the writer made no progressive (SOF2) JPEG");
    BufferedImage decoded = ImageDecoder.decode(bytes, "progressive.jpg");
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
    assertTrue(
        meanAbsDifference(original, decoded) < 6,
        "mean difference " + meanAbsDifference(original, decoded));
  }

  @Test
  void decodesAGrayscaleJpegToEqualRgb() throws Exception {
    BufferedImage gray = filled(16, 16, BufferedImage.TYPE_BYTE_GRAY, new Color(100, 100, 100));
    BufferedImage decoded = ImageDecoder.decode(jpeg(gray, false), "gray.jpg");
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
    assertColour(new Color(100, 100, 100), decoded.getRGB(8, 8), 3);
  }

  @Test
  void decodesCmykAndYcckJpegs() throws Exception {
    // Adobe CMYK holds inverted ink (255 = none): red is C=0, M=Y=full, K=0.
    // Adobe YCCK holds K as stored and, for C'M'Y', the YCbCr of (255-C', 255-M', 255-Y'): for red
    // (stored C'M'Y' = 255, 0, 0) that is the YCbCr of (0, 255, 255), which is (179, 171, 0).
    for (int transform : new int[] {0, 2}) {
      int[] samples = transform == 0 ? new int[] {255, 0, 0, 255} : new int[] {179, 171, 0, 255};
      BufferedImage decoded =
          ImageDecoder.decode(adobeJpeg(16, 16, samples, transform), "adobe-" + transform + ".jpg");
      assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
      Color c = new Color(decoded.getRGB(8, 8));
      assertTrue(
          c.getRed() > 150 && c.getGreen() < 90 && c.getBlue() < 90,
          "transform " + transform + ": expected red, got " + c);
    }
  }

  @Test
  void compositesPngTransparencyOnWhite() throws Exception {
    BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00000000);
    argb.setRGB(1, 0, 0xffff0000);
    argb.setRGB(2, 0, 0x80000000);
    BufferedImage decoded = ImageDecoder.decode(encode(argb, "png"), "alpha.png");
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
    assertColour(Color.WHITE, decoded.getRGB(0, 0), 0);
    assertColour(Color.RED, decoded.getRGB(1, 0), 0);
    assertColour(new Color(127, 127, 127), decoded.getRGB(2, 0), 2);
  }

  @Test
  void decodesGifAndBmpExactly() throws Exception {
    BufferedImage original = filled(10, 7, BufferedImage.TYPE_INT_RGB, new Color(0, 0, 255));
    original.setRGB(3, 4, Color.RED.getRGB());
    for (String format : List.of("gif", "bmp")) {
      BufferedImage decoded = ImageDecoder.decode(encode(original, format), "image." + format);
      assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType(), format);
      assertColour(Color.BLUE, decoded.getRGB(0, 0), 0);
      assertColour(Color.RED, decoded.getRGB(3, 4), 0);
    }
  }

  @Test
  void decodesOnePixelImages() throws Exception {
    BufferedImage pixel = filled(1, 1, BufferedImage.TYPE_INT_RGB, new Color(10, 200, 30));
    for (byte[] bytes :
        List.of(
            jpeg(pixel, false), encode(pixel, "png"), encode(pixel, "gif"), encode(pixel, "bmp"))) {
      BufferedImage decoded = ImageDecoder.decode(bytes, "pixel");
      assertEquals(1, decoded.getWidth());
      assertEquals(1, decoded.getHeight());
      assertColour(new Color(10, 200, 30), decoded.getRGB(0, 0), 12);
    }
  }

  @Test
  void rejectsEmptyInput() {
    ImageRejectedException e = rejected(new byte[0], "empty.jpg");
    assertEquals(ImageDecoder.NOT_AN_IMAGE, e.reason());
    assertTrue(e.getMessage().startsWith("empty.jpg: "), e.getMessage());
  }

  @Test
  void rejectsRandomBytes() {
    long seed = 20261127L;
    byte[] bytes = new byte[4096];
    new Random(seed).nextBytes(bytes);
    ImageRejectedException e = rejected(bytes, "random.bin");
    assertTrue(
        Set.of(ImageDecoder.NOT_AN_IMAGE, ImageDecoder.CORRUPT).contains(e.reason()),
        "seed " + seed + ": " + e.reason());
    assertTrue(e.getMessage().startsWith("random.bin: "), e.getMessage());
  }

  @Test
  void rejectsTextAsNotAnImage() {
    ImageRejectedException e =
        rejected("id,gender\n1,Men\n".getBytes(StandardCharsets.UTF_8), "styles.csv");
    assertEquals(ImageDecoder.NOT_AN_IMAGE, e.reason());
    assertTrue(e.getMessage().contains("69 64 2c 67"), e.getMessage());
  }

  @Test
  void rejectsTruncatedJpegs() throws Exception {
    for (boolean progressive : new boolean[] {false, true}) {
      byte[] whole = jpeg(photo(120, 160, 3), progressive);
      for (double keep : new double[] {0.3, 0.6, 0.9}) {
        byte[] cut = Arrays.copyOf(whole, (int) (whole.length * keep));
        ImageRejectedException e = rejected(cut, "cut.jpg");
        assertEquals(
            ImageDecoder.CORRUPT,
            e.reason(),
            "progressive " + progressive + ", kept " + keep + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("cut.jpg: "), e.getMessage());
      }
    }
  }

  @Test
  void rejectsTruncatedPngGifAndBmp() throws Exception {
    BufferedImage original = photo(120, 160, 4);
    for (String format : List.of("png", "gif", "bmp")) {
      byte[] whole = encode(original, format);
      byte[] cut = Arrays.copyOf(whole, whole.length / 2);
      ImageRejectedException e = rejected(cut, "cut." + format);
      assertEquals(ImageDecoder.CORRUPT, e.reason(), format + ": " + e.getMessage());
    }
  }

  @Test
  void rejectsAPngWhoseDataIsGarbage() throws Exception {
    byte[] png = encode(photo(40, 40, 5), "png");
    byte[] damaged = png.clone();
    Random random = new Random(5);
    for (int i = 60; i < damaged.length - 20; i++) {
      damaged[i] = (byte) random.nextInt(256);
    }
    assertEquals(ImageDecoder.CORRUPT, rejected(damaged, "damaged.png").reason());
  }

  @Test
  void refusesAPngBombFromItsHeader() {
    ImageRejectedException e = rejected(pngHeaderOnly(100_000, 100_000), "bomb.png");
    assertEquals(ImageDecoder.TOO_LARGE, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
  }

  @Test
  void refusesAJpegDeclaringAHugeSize() throws Exception {
    byte[] bytes = jpeg(photo(16, 16, 6), false);
    int sof = indexOfMarker(bytes, 0xC0);
    assertTrue(sof > 0, "no SOF0 marker");
    ByteBuffer.wrap(bytes, sof + 5, 4).putShort((short) 30_000).putShort((short) 30_000);
    ImageRejectedException e = rejected(bytes, "huge.jpg");
    assertEquals(ImageDecoder.TOO_LARGE, e.reason(), e.getMessage());
  }

  @Test
  void acceptsTheLargestSideWithinTheLimits() {
    // 20000x1 is within both limits, so the header check passes and decoding (of no data) fails
    // instead.
    assertEquals(
        ImageDecoder.CORRUPT,
        rejected(pngHeaderOnly(ImageDecoder.MAX_SIDE, 1), "wide.png").reason());
    assertEquals(
        ImageDecoder.TOO_LARGE,
        rejected(pngHeaderOnly(ImageDecoder.MAX_SIDE + 1, 1), "wider.png").reason());
    assertEquals(
        ImageDecoder.TOO_LARGE, rejected(pngHeaderOnly(10_000, 5_001), "many.png").reason());
  }

  @Test
  void decodesAFileAndNamesItWhenRejecting() throws Exception {
    Path good = dir.resolve("good.png");
    Files.write(good, encode(filled(4, 4, BufferedImage.TYPE_INT_RGB, Color.GREEN), "png"));
    assertColour(Color.GREEN, ImageDecoder.decode(good).getRGB(2, 2), 0);
    Path bad = dir.resolve("bad.jpg");
    Files.writeString(bad, "not a jpeg", StandardCharsets.UTF_8);
    ImageRejectedException e =
        assertThrows(ImageRejectedException.class, () -> ImageDecoder.decode(bad));
    assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
    ImageRejectedException missing =
        assertThrows(
            ImageRejectedException.class, () -> ImageDecoder.decode(dir.resolve("none.jpg")));
    assertEquals(ImageDecoder.UNREADABLE, missing.reason());
    assertTrue(missing.getCause() instanceof IOException);
  }

  @Test
  void decodesConcurrentlyWithTheSameResult() throws Exception {
    byte[] bytes = jpeg(photo(60, 80, 7), true);
    int[] expected = ImageDecoder.decode(bytes, "one").getRGB(0, 0, 60, 80, null, 0, 60);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<int[]>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(
            pool.submit(
                () -> ImageDecoder.decode(bytes, "many").getRGB(0, 0, 60, 80, null, 0, 60)));
      }
      for (Future<int[]> result : results) {
        assertArrayEquals(expected, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void subsamplesALargeImageToKeepTheMinimumSideAndNoMore() throws Exception {
    BufferedImage original = photo(3000, 2400, 11);
    byte[] png = encode(original, "png");
    ImageDecoder.Header header = ImageDecoder.header(png, "large.png");
    assertEquals(new ImageDecoder.Header("png", 3000, 2400), header);
    // 2400 / 598 = 4: every 4th pixel of every 4th row, 750 x 600, both sides >= 598
    assertEquals(4, header.subsampling(ImageDecoder.DEFAULT_MIN_SIDE));
    assertEquals(750L * 600, header.decodedPixels(ImageDecoder.DEFAULT_MIN_SIDE));
    BufferedImage decoded = ImageDecoder.decode(png, "large.png");
    assertEquals(750, decoded.getWidth());
    assertEquals(600, decoded.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
    for (int y = 0; y < 600; y++) {
      for (int x = 0; x < 750; x++) {
        if (decoded.getRGB(x, y) != original.getRGB(4 * x, 4 * y)) {
          throw new AssertionError(
              "pixel (" + x + "," + y + ") is not source pixel (" + 4 * x + "," + 4 * y + ")");
        }
      }
    }
    BufferedImage full = ImageDecoder.decode(png, "large.png", ImageDecoder.FULL_SIZE);
    assertEquals(3000, full.getWidth());
    assertEquals(2400, full.getHeight());
    BufferedImage small = ImageDecoder.decode(png, "large.png", 224);
    assertEquals(10, header.subsampling(224));
    assertEquals(300, small.getWidth());
    assertEquals(240, small.getHeight());
  }

  @Test
  void subsamplesAJpegAndANarrowImageOnlyAsFarAsItsShortSideAllows() throws Exception {
    BufferedImage original = photo(1300, 700, 12);
    byte[] jpg = jpeg(original, false);
    // the short side (700) is below 2 x 598: decoded in full
    assertEquals(
        1, ImageDecoder.header(jpg, "wide.jpg").subsampling(ImageDecoder.DEFAULT_MIN_SIDE));
    BufferedImage decoded = ImageDecoder.decode(jpg, "wide.jpg");
    assertEquals(1300, decoded.getWidth());
    assertEquals(700, decoded.getHeight());
    BufferedImage third = ImageDecoder.decode(jpg, "wide.jpg", 200);
    assertEquals(434, third.getWidth());
    assertEquals(234, third.getHeight());
    // the JPEG reader skips pixels of the decoded scan lines: every 3rd pixel of the full decode
    for (int y = 0; y < 234; y++) {
      for (int x = 0; x < 434; x++) {
        assertColour(new Color(decoded.getRGB(3 * x, 3 * y)), third.getRGB(x, y), 0);
      }
    }
  }

  @Test
  void readsTheHeaderWithoutDecodingAndRefusesABomb() {
    ImageRejectedException e =
        assertThrows(
            ImageRejectedException.class,
            () -> ImageDecoder.header(pngHeaderOnly(100_000, 100_000), "bomb.png"));
    assertEquals(ImageDecoder.TOO_LARGE, e.reason(), e.getMessage());
    // 7000 x 7000 is within the limits: its header is read although no pixel data follows
    ImageDecoder.Header header = assertDoesNotThrowHeader(pngHeaderOnly(7000, 7000));
    assertEquals(11, header.subsampling(ImageDecoder.DEFAULT_MIN_SIDE));
    assertEquals(637L * 637, header.decodedPixels(ImageDecoder.DEFAULT_MIN_SIDE));
    assertEquals(
        ImageDecoder.NOT_AN_IMAGE,
        assertThrows(
                ImageRejectedException.class,
                () -> ImageDecoder.header(new byte[] {1, 2, 3}, "junk"))
            .reason());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> header.subsampling(0));
    assertTrue(bad.getMessage().contains("got: 0"), bad.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ImageDecoder.decode(new byte[] {1}, "x", -3));
  }

  private static ImageDecoder.Header assertDoesNotThrowHeader(byte[] bytes) {
    try {
      return ImageDecoder.header(bytes, "header-only.png");
    } catch (ImageRejectedException e) {
      throw new AssertionError("header refused: " + e.getMessage(), e);
    }
  }

  /** A PNG signature, an IHDR declaring {@code width x height} RGB with a valid CRC, and IEND. */
  static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static int indexOfMarker(byte[] bytes, int marker) {
    for (int i = 2; i + 1 < bytes.length; i++) {
      if ((bytes[i] & 0xff) == 0xff && (bytes[i + 1] & 0xff) == marker) {
        return i;
      }
    }
    return -1;
  }

  static boolean containsMarker(byte[] bytes, int marker) {
    return indexOfMarker(bytes, marker) >= 0;
  }

  /**
   * A four-channel JPEG with an Adobe APP14 segment saying how to read it ({@code transform} 0:
   * CMYK, 2: YCCK): the JPEG writer stores a four-band raster's samples as they are, and the
   * segment is inserted after SOI, as Photoshop writes it.
   */
  static byte[] adobeJpeg(int width, int height, int[] samples, int transform) throws IOException {
    var raster =
        java.awt.image.Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setPixel(x, y, samples);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    byte[] plain = bytes.toByteArray();
    assertTrue(indexOfMarker(plain, 0xEE) < 0, "the writer already wrote an Adobe segment");
    ByteBuffer app14 =
        ByteBuffer.allocate(16)
            .put((byte) 0xff)
            .put((byte) 0xee)
            .putShort((short) 14)
            .put("Adobe".getBytes(StandardCharsets.US_ASCII))
            .putShort((short) 100)
            .putShort((short) 0)
            .putShort((short) 0)
            .put((byte) transform);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 2);
    out.writeBytes(app14.array());
    out.write(plain, 2, plain.length - 2);
    return out.toByteArray();
  }
}
