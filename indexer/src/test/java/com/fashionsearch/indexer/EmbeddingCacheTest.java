package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
  private static final long SEED = 7L;

  @TempDir Path dir;

  @Test
  void holdsRecordsLooksWithoutCreatingAndCountsOnlyWholeRecords() throws Exception {
    Path sub = dir.resolve("cache");
    assertFalse(EmbeddingCache.holdsRecords(sub, "m", "w", "p", 2));
    assertFalse(Files.exists(sub), "looking creates nothing");
    try (EmbeddingCache cache = EmbeddingCache.open(sub, "m", "w", "p", 2)) {
      assertFalse(
          EmbeddingCache.holdsRecords(sub, "m", "w", "p", 2), "a header alone holds nothing");
      cache.put(EmbeddingCache.sha256Hex(new byte[] {1}), new float[] {1, 0});
      cache.sync();
    }
    assertTrue(EmbeddingCache.holdsRecords(sub, "m", "w", "p", 2));
    assertFalse(
        EmbeddingCache.holdsRecords(sub, "m", "w2", "p", 2), "another configuration's file");
  }

  @Test
  void embeddingsSurviveReopening() throws Exception {
    Random random = new Random(SEED);
    float[] a = HighDimensionVectorIndexTest.unitVector(random, 4096);
    float[] b = HighDimensionVectorIndexTest.unitVector(random, 4096);
    String ha = EmbeddingCache.sha256Hex("image a".getBytes(StandardCharsets.UTF_8));
    String hb = EmbeddingCache.sha256Hex("image b".getBytes(StandardCharsets.UTF_8));
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "vgg16", "random:42", "pad", 4096)) {
      cache.put(ha, a);
      cache.put(hb, b);
      assertArrayEquals(a, cache.get(ha));
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "vgg16", "random:42", "pad", 4096)) {
      assertEquals(2, cache.size());
      assertArrayEquals(a, cache.get(ha), 0f);
      assertArrayEquals(b, cache.get(hb), 0f);
      assertNull(cache.get(EmbeddingCache.sha256Hex(new byte[] {1})));
    }
  }

  @Test
  void otherWeightsUseAnotherFile() throws Exception {
    String h = EmbeddingCache.sha256Hex(new byte[] {42});
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "vgg16", "random:42", "pad", 3)) {
      cache.put(h, new float[] {1, 0, 0});
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "vgg16", "random:43", "pad", 3)) {
      assertNull(cache.get(h), "an embedding made with other weights must not be reused");
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "vgg16", "random:42", "stretch", 3)) {
      assertNull(cache.get(h), "an embedding made with other preprocessing must not be reused");
    }
  }

  @Test
  void aPartialLastRecordFromAKilledRunIsCutOff() throws Exception {
    String h1 = EmbeddingCache.sha256Hex(new byte[] {1});
    String h2 = EmbeddingCache.sha256Hex(new byte[] {2});
    Path file;
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      cache.put(h1, new float[] {0.5f, 0.5f, 0.5f, 0.5f});
      cache.put(h2, new float[] {1, 0, 0, 0});
      file = cache.file();
    }
    long size = Files.size(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size - 5); // the kill came in the middle of the second record
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      assertEquals(1, cache.size());
      assertEquals(32 + 16 + 4 - 5, cache.truncatedBytes());
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, cache.get(h1), 0f);
      assertNull(cache.get(h2));
      cache.put(h2, new float[] {0, 1, 0, 0});
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      assertArrayEquals(new float[] {0, 1, 0, 0}, cache.get(h2), 0f);
    }
  }

  @Test
  void theFileLayoutIsTheDocumentedLittleEndianOne() throws Exception {
    String h = EmbeddingCache.sha256Hex(new byte[] {9});
    Path file;
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 2)) {
      cache.put(h, new float[] {0.6f, 0.8f});
      file = cache.file();
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    buf.get(magic);
    assertEquals("FSEMBED2", new String(magic, StandardCharsets.US_ASCII));
    assertEquals(2, buf.getInt());
    for (String expected : new String[] {"m", "w", "p"}) {
      byte[] s = new byte[buf.getInt()];
      buf.get(s);
      assertEquals(expected, new String(s, StandardCharsets.UTF_8));
    }
    assertEquals(crc(bytes, 0, buf.position()), buf.getInt(), "the header's CRC-32");
    int record = buf.position();
    byte[] hash = new byte[32];
    buf.get(hash);
    assertEquals(h, java.util.HexFormat.of().formatHex(hash));
    assertEquals(0.6f, buf.getFloat());
    assertEquals(0.8f, buf.getFloat());
    assertEquals(crc(bytes, record, 32 + 8), buf.getInt(), "the record's CRC-32");
    assertEquals(0, buf.remaining());
  }

  private static int crc(byte[] bytes, int from, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }

  private static void flipByte(Path file, long at) throws Exception {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.flip();
      byte b = one.get();
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (b ^ 0x10)}), at);
    }
  }

  @Test
  void aFlippedByteInARecordIsDetectedTheRecordDroppedAndItsImageEmbeddedAgain() throws Exception {
    String[] h = new String[3];
    Path file;
    long header;
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      file = cache.file();
      header = Files.size(file);
      for (int i = 0; i < 3; i++) {
        h[i] = EmbeddingCache.sha256Hex(new byte[] {(byte) i});
        cache.put(h[i], new float[] {i, 1, 0, 0});
      }
    }
    int record = 32 + 16 + 4;
    flipByte(file, header + record + 32 + 5); // a float of the second record
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      assertEquals(1, cache.damagedRecords());
      assertEquals(2, cache.size());
      assertNull(cache.get(h[1]), "a damaged record is never used");
      assertArrayEquals(new float[] {0, 1, 0, 0}, cache.get(h[0]), 0f);
      assertArrayEquals(new float[] {2, 1, 0, 0}, cache.get(h[2]), 0f);
      assertEquals(
          header + 2L * record,
          Files.size(file),
          "the file was rewritten without the damaged record");
      cache.put(h[1], new float[] {1, 1, 0, 0});
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      assertEquals(0, cache.damagedRecords());
      assertEquals(3, cache.size());
      assertArrayEquals(new float[] {1, 1, 0, 0}, cache.get(h[1]), 0f);
    }
  }

  @Test
  void aRecordDamagedWhileOpenIsNotUsed() throws Exception {
    String h = EmbeddingCache.sha256Hex(new byte[] {5});
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      long header = Files.size(cache.file());
      cache.put(h, new float[] {0, 0, 1, 0});
      cache.sync();
      flipByte(cache.file(), header + 40);
      assertNull(cache.get(h));
      assertEquals(1, cache.damagedRecords());
      assertEquals(0, cache.size());
    }
  }

  @Test
  void aDamagedHeaderMovesTheFileAsideAndStartsANewCache() throws Exception {
    Path file;
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      cache.put(EmbeddingCache.sha256Hex(new byte[] {1}), new float[] {1, 0, 0, 0});
      file = cache.file();
    }
    flipByte(file, 8 + 4 + 4); // the model id's first byte
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      assertTrue(cache.rebuilt());
      assertEquals(0, cache.size());
    }
    assertTrue(Files.exists(file.resolveSibling(file.getFileName() + ".corrupt")));
  }

  @Test
  void aTruncatedHeaderMovesTheFileAside() throws Exception {
    Path file;
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      file = cache.file();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(14);
    }
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      assertTrue(cache.rebuilt());
    }
  }

  @Test
  void aFirstFormatFileIsReadAndRewrittenWithChecksums() throws Exception {
    Path file = dir.resolve(EmbeddingCache.fileName("m", "w", "p"));
    String h = EmbeddingCache.sha256Hex(new byte[] {3});
    ByteBuffer v1 = ByteBuffer.allocate(8 + 4 + 3 * 5 + 32 + 8 + 20).order(ByteOrder.LITTLE_ENDIAN);
    v1.put("FSEMBED1".getBytes(StandardCharsets.US_ASCII)).putInt(2);
    for (String id : new String[] {"m", "w", "p"}) {
      v1.putInt(1).put(id.getBytes(StandardCharsets.UTF_8));
    }
    v1.put(java.util.HexFormat.of().parseHex(h)).putFloat(0.6f).putFloat(0.8f);
    v1.put(new byte[20]); // a partial second record from a killed run
    Files.write(file, v1.array());
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 2)) {
      assertArrayEquals(new float[] {0.6f, 0.8f}, cache.get(h), 0f);
      assertEquals(1, cache.size());
    }
    byte[] bytes = Files.readAllBytes(file);
    assertEquals("FSEMBED2", new String(bytes, 0, 8, StandardCharsets.US_ASCII));
    assertEquals(8 + 4 + 3 * 5 + 4 + 32 + 8 + 4, bytes.length);
  }

  @Test
  void aForeignFileIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve(EmbeddingCache.fileName("m", "w", "p"));
    Files.writeString(
        file, "not a cache at all, but long enough to have a header", StandardCharsets.UTF_8);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> EmbeddingCache.open(dir, "m", "w", "p", 4));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aWrongDimensionIsRefused() throws Exception {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> cache.put(EmbeddingCache.sha256Hex(new byte[0]), new float[3]));
      assertTrue(e.getMessage().contains("got: 3"), e.getMessage());
    }
  }
}
