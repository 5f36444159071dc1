package com.fashionsearch.server;

import com.fashionsearch.data.Product;
import com.fashionsearch.searcher.TestIndexes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * A small catalog of solid-colour PNG products with a colour-vector index, for the server's tests.
 */
final class TestCatalog {
  static final String[][] ROWS = {
    // id, gender, masterCategory, subCategory, articleType, baseColour, year, name, rgb
    {"1", "Men", "Footwear", "Shoes", "Casual Shoes", "Red", "2010", "Red Runner Shoes", "E01010"},
    {"2", "Women", "Footwear", "Shoes", "Heels", "Red", "2011", "Scarlet Heels", "D02020"},
    {"3", "Men", "Apparel", "Topwear", "Tshirts", "Red", "2012", "Red Cotton Tshirt", "C03030"},
    {"4", "Women", "Apparel", "Topwear", "Tops", "Blue", "2012", "Blue Summer Top", "1010E0"},
    {
      "5", "Men", "Footwear", "Shoes", "Sports Shoes", "Blue", "2013", "Blue Sports Shoes", "2020D0"
    },
    {
      "6",
      "Women",
      "Accessories",
      "Bags",
      "Handbags",
      "Green",
      "2011",
      "Green Leather Handbag",
      "10E010"
    },
    {"7", "Men", "Apparel", "Bottomwear", "Jeans", "Blue", "2010", "Blue Denim Jeans", "3030C0"},
    {"8", "Women", "Footwear", "Sandal", "Flats", "Green", "2012", "Green Flats", "20D020"},
    {
      "9",
      "Men",
      "Accessories",
      "Watches",
      "Watches",
      "Black",
      "2014",
      "Black Steel Watch",
      "101010"
    },
    {"10", "Women", "Apparel", "Topwear", "Tops", "Red", "2013", "Red Silk Top", "E81818"},
  };

  private TestCatalog() {}

  /** Writes {@code catalog/images/<id>.png} and a first index generation of every row. */
  static void write(Path catalog, Path index, boolean pretrained) throws IOException {
    Files.createDirectories(catalog.resolve("images"));
    List<Product> products = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (String[] r : ROWS) {
      int rgb = Integer.parseInt(r[8], 16);
      ImageIO.write(
          TestIndexes.solid(rgb, 60, 80),
          "png",
          catalog.resolve("images").resolve(r[0] + ".png").toFile());
      products.add(
          TestIndexes.product(
              catalog, r[0], r[1], r[2], r[3], r[4], r[5], Integer.parseInt(r[6]), r[7]));
      vectors.add(TestIndexes.colourVector(rgb));
    }
    TestIndexes.writeGeneration(index, catalog, products, vectors, pretrained);
  }

  /** A PNG of one colour. */
  static byte[] png(int rgb) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(TestIndexes.solid(rgb, 30, 40), "png", out);
    return out.toByteArray();
  }

  /** A well-formed PNG header declaring 100000 x 100000 pixels: a decompression bomb. */
  static byte[] pngBomb() {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(100_000)
        .putInt(100_000)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
    out.writeBytes(len.array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
