package com.fashionsearch.models;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image bytes into a {@link BufferedImage#TYPE_INT_RGB} image, or rejects them with a
 * reason that can be counted: JPEG (baseline, progressive, grayscale, CMYK and YCCK through the
 * twelvemonkeys reader), PNG (transparency composited on white), GIF (first frame) and BMP.
 *
 * <p>A file whose header declares more than {@link #MAX_SIDE} pixels a side or {@link #MAX_PIXELS}
 * pixels in all (a decompression bomb) is refused from its header, before any pixel is decoded. A
 * truncated or corrupt file is refused even when the reader would return a partly grey image: the
 * reader's warnings that mean missing or wrong pixels (libjpeg's "Premature end of JPEG file",
 * "Corrupt JPEG data: premature end of data segment", "bad Huffman code", a lost restart marker, an
 * inconsistent progression) reject it. Warnings that leave every pixel decoded (no embedded ICC
 * profile, an unknown JFIF revision, extraneous bytes before a marker) do not.
 *
 * <p>The networks look at 224 or 299 pixels a side, so a large image is never decoded at full size:
 * its header is read first and the reader skips rows and columns (ImageIO source subsampling) so
 * that the decoded raster keeps at least {@link #DEFAULT_MIN_SIDE} pixels on both sides (twice the
 * largest network input), or the {@code minSide} the caller passes. A 7,000 x 7,000 upload becomes
 * 637 x 637 (every 11th pixel of every 11th row), about 1.6 MB instead of 196 MB. An image whose
 * shorter side is below twice the target (every product photo of the catalogs, 60 x 80) is decoded
 * exactly as before, pixel for pixel. {@link #header(byte[], String)} gives the size and the pixels
 * a decode will hold before any pixel is decoded, for callers that budget memory.
 *
 * <p>Stateless and thread-safe: each call uses its own reader.
 */
public final class ImageDecoder {
  /** The most pixels a side an accepted image may have. */
  public static final int MAX_SIDE = 20_000;

  /** The most pixels an accepted image may have (50 megapixels, 200 MB as RGB). */
  public static final long MAX_PIXELS = 50_000_000L;

  /**
   * The fewest pixels a side a subsampled image keeps: twice the largest network input (299,
   * Inception style), so that the network's own resize still averages several source pixels per
   * input pixel.
   */
  public static final int DEFAULT_MIN_SIDE = 2 * 299;

  /** {@code minSide} that turns subsampling off: the image is decoded at full size. */
  public static final int FULL_SIZE = Integer.MAX_VALUE;

  /** The largest file {@link #decode(Path)} reads. */
  public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  /** Reason: the bytes are empty or in no accepted image format. */
  public static final String NOT_AN_IMAGE = "not-an-image";

  /** Reason: an image format was recognised but the file is truncated or damaged. */
  public static final String CORRUPT = "corrupt";

  /**
   * Reason: the image or file exceeds {@link #MAX_SIDE}, {@link #MAX_PIXELS} or {@link
   * #MAX_FILE_BYTES}.
   */
  public static final String TOO_LARGE = "too-large";

  /** Reason: the file could not be read. */
  public static final String UNREADABLE = "unreadable";

  /** The formats accepted, by ImageIO's lower-case format names. */
  public static final Set<String> FORMATS = Set.of("jpeg", "png", "gif", "bmp");

  /** The reader warnings that mean pixels are missing or wrong; matched case-insensitively. */
  private static final Pattern CORRUPTION_WARNING =
      Pattern.compile(
          "premature end|bad huffman|instead of rst|inconsistent progression|invalid"
              + " sos|truncat|end of (file|stream)",
          Pattern.CASE_INSENSITIVE);

  private ImageDecoder() {}

  /**
   * Reads and decodes {@code file}, naming it in any rejection.
   *
   * @throws ImageRejectedException with reason {@link #UNREADABLE} when the file cannot be read
   *     (the I/O error kept as the cause), {@link #TOO_LARGE} when it exceeds {@link
   *     #MAX_FILE_BYTES}, or any reason of {@link #decode(byte[], String)}
   */
  public static BufferedImage decode(Path file) throws ImageRejectedException {
    return decode(file, DEFAULT_MIN_SIDE);
  }

  /**
   * Reads and decodes {@code file}, subsampled to keep at least {@code minSide} pixels a side (see
   * {@link #decode(byte[], String, int)}).
   */
  public static BufferedImage decode(Path file, int minSide) throws ImageRejectedException {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ImageRejectedException(
            TOO_LARGE,
            file + ": file of " + size + " bytes exceeds the limit of " + MAX_FILE_BYTES);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ImageRejectedException(UNREADABLE, file + ": cannot read: " + e, e);
    }
    return decode(bytes, file.toString(), minSide);
  }

  /**
   * Decodes {@code bytes}, subsampled to keep at least {@link #DEFAULT_MIN_SIDE} pixels a side.
   *
   * @param name what to call the image in a rejection's message, e.g. its file name
   * @return the image as {@link BufferedImage#TYPE_INT_RGB}, transparency composited on white
   * @throws ImageRejectedException with reason {@link #NOT_AN_IMAGE}, {@link #CORRUPT} or {@link
   *     #TOO_LARGE}, the message naming {@code name}
   */
  public static BufferedImage decode(byte[] bytes, String name) throws ImageRejectedException {
    return decode(bytes, name, DEFAULT_MIN_SIDE);
  }

  /**
   * Decodes {@code bytes}, reading every {@code s}-th pixel of every {@code s}-th row where {@code
   * s} is the largest whole factor that keeps both sides at least {@code minSide} ({@link
   * Header#subsampling(int)}); 1 (every pixel) when a side is already below {@code 2 * minSide}.
   *
   * @param minSide the fewest pixels a side to keep, at least 1; {@link #FULL_SIZE} for no
   *     subsampling
   * @throws ImageRejectedException as {@link #decode(byte[], String)}
   */
  public static BufferedImage decode(byte[] bytes, String name, int minSide)
      throws ImageRejectedException {
    checkMinSide(minSide);
    return read(
        bytes,
        name,
        (reader, header) -> {
          int factor = header.subsampling(minSide);
          ImageReadParam param = reader.getDefaultReadParam();
          if (factor > 1) {
            param.setSourceSubsampling(factor, factor, 0, 0);
          }
          return reader.read(0, param);
        });
  }

  /**
   * Reads only the header of {@code bytes}: format and size, refusing a decompression bomb or a
   * non-image exactly as {@link #decode(byte[], String)} would, without decoding any pixel.
   *
   * @throws ImageRejectedException with reason {@link #NOT_AN_IMAGE}, {@link #CORRUPT} or {@link
   *     #TOO_LARGE}
   */
  public static Header header(byte[] bytes, String name) throws ImageRejectedException {
    Header[] seen = new Header[1];
    read(
        bytes,
        name,
        (reader, header) -> {
          seen[0] = header;
          return null;
        });
    return seen[0];
  }

  /**
   * An image's header: its format and declared size. Immutable and thread-safe.
   *
   * @param format the format, lower case, one of {@link #FORMATS}
   * @param width the declared width in pixels
   * @param height the declared height in pixels
   */
  public record Header(String format, int width, int height) {
    /**
     * The subsampling factor a decode with {@code minSide} uses: the largest whole {@code s} with
     * {@code width / s >= minSide} and {@code height / s >= minSide}, at least 1.
     */
    public int subsampling(int minSide) {
      checkMinSide(minSide);
      return Math.max(1, Math.min(width / minSide, height / minSide));
    }

    /** The pixels a decode with {@code minSide} holds: the subsampled width times height. */
    public long decodedPixels(int minSide) {
      int s = subsampling(minSide);
      return (long) ceilDiv(width, s) * ceilDiv(height, s);
    }

    private static int ceilDiv(int a, int b) {
      return (a + b - 1) / b;
    }
  }

  private static void checkMinSide(int minSide) {
    if (minSide < 1) {
      throw new IllegalArgumentException("minSide must be at least 1, got: " + minSide);
    }
  }

  /** What to do with a reader whose input is set and whose header passed the size checks. */
  private interface ReaderAction {
    BufferedImage apply(ImageReader reader, Header header) throws IOException;
  }

  private static BufferedImage read(byte[] bytes, String name, ReaderAction action)
      throws ImageRejectedException {
    Objects.requireNonNull(bytes, "bytes");
    String label = name == null || name.isBlank() ? "image" : name;
    if (bytes.length == 0) {
      throw new ImageRejectedException(NOT_AN_IMAGE, label + ": empty (0 bytes)");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in, bytes, label);
      try {
        reader.setInput(in, true, true);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener(collector(warnings));
        Header header = checkSize(reader, reader.getFormatName(), label);
        BufferedImage image = action.apply(reader, header);
        if (!warnings.isEmpty()) {
          throw new ImageRejectedException(
              CORRUPT,
              label
                  + ": truncated or corrupt "
                  + format(reader)
                  + ": "
                  + String.join("; ", warnings));
        }
        return image == null ? null : toRgb(image);
      } finally {
        reader.dispose();
      }
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageRejectedException(
          CORRUPT, label + ": truncated or corrupt (" + bytes.length + " bytes): " + e, e);
    }
  }

  /** The first reader of an accepted format that recognises the bytes. */
  private static ImageReader readerFor(ImageInputStream in, byte[] bytes, String label)
      throws ImageRejectedException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    List<String> others = new ArrayList<>();
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      String format = format(reader);
      if (FORMATS.contains(format)) {
        return reader;
      }
      others.add(format);
      reader.dispose();
    }
    String head = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length));
    throw new ImageRejectedException(
        NOT_AN_IMAGE,
        label
            + ": not a "
            + String.join(", ", FORMATS.stream().sorted().toList())
            + " image ("
            + bytes.length
            + " bytes starting "
            + head
            + (others.isEmpty() ? "" : "; recognised only as " + others)
            + ")");
  }

  /** Refuses a declared size over the limits from the header alone, before any pixel is read. */
  private static Header checkSize(ImageReader reader, String format, String label)
      throws IOException, ImageRejectedException {
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    if (width < 1 || height < 1) {
      throw new ImageRejectedException(
          CORRUPT, label + ": " + format + " header declares a size of " + width + "x" + height);
    }
    if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
      throw new ImageRejectedException(
          TOO_LARGE,
          label
              + ": "
              + format
              + " header declares "
              + width
              + "x"
              + height
              + " pixels, over the limit of "
              + MAX_SIDE
              + " a side and "
              + MAX_PIXELS
              + " in all");
    }
    return new Header(format(reader), width, height);
  }

  private static String format(ImageReader reader) {
    try {
      return reader.getFormatName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static IIOReadWarningListener collector(List<String> warnings) {
    return (source, warning) -> {
      if (warning != null && CORRUPTION_WARNING.matcher(warning).find()) {
        warnings.add(warning);
      }
    };
  }

  /** The image as TYPE_INT_RGB, drawn on white so that transparent pixels become white. */
  static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }
}
