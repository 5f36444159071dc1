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
      assertFalse(EmbeddingCache.holdsRecords(sub, "m", "w", "p", 2), "a header alone holds nothing");
      cache.put(EmbeddingCache.sha256Hex(new byte[] {1}), new float[] {1, 0});
      cache.sync();
    }
    assertTrue(EmbeddingCache.holdsRecords(sub, "m", "w", "p", 2));
    assertFalse(EmbeddingCache.holdsRecords(sub, "m", "w2", "p", 2), "another configuration's file");
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
      assertEquals(32 + 16 - 5, cache.truncatedBytes());
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
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    buf.get(magic);
    assertEquals("FSEMBED1", new String(magic, StandardCharsets.US_ASCII));
    assertEquals(2, buf.getInt());
    for (String expected : new String[] {"m", "w", "p"}) {
      byte[] s = new byte[buf.getInt()];
      buf.get(s);
      assertEquals(expected, new String(s, StandardCharsets.UTF_8));
    }
    byte[] hash = new byte[32];
    buf.get(hash);
    assertEquals(h, java.util.HexFormat.of().formatHex(hash));
    assertEquals(0.6f, buf.getFloat());
    assertEquals(0.8f, buf.getFloat());
    assertEquals(0, buf.remaining());
  }

  @Test
  void aForeignFileIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve(EmbeddingCache.fileName("m", "w", "p"));
    Files.writeString(file, "not a cache at all, but long enough to have a header", StandardCharsets.UTF_8);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> EmbeddingCache.open(dir, "m", "w", "p", 4));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aWrongDimensionIsRefused() throws Exception {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, "m", "w", "p", 4)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> cache.put(EmbeddingCache.sha256Hex(new byte[0]), new float[3]));
      assertTrue(e.getMessage().contains("got: 3"), e.getMessage());
    }
  }
}
