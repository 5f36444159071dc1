package com.fashionsearch.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Embeddings already computed, keyed by model, weights, preprocessing and the SHA-256 of the image
 * file's bytes, so that a rerun re-embeds only new or changed images.
 *
 * <p>One file per (model, weights, preprocessing), under the index's {@code cache/} folder, in a
 * portable little-endian layout that any machine (say a GPU box that built it) can hand to another:
 *
 * <pre>
 * header:  8 bytes  magic "FSEMBED1"
 *          int32    dimension D
 *          int32 n, n bytes UTF-8   model id
 *          int32 n, n bytes UTF-8   weights id
 *          int32 n, n bytes UTF-8   preprocessing id
 * records: 32 bytes SHA-256 of the image file, then D float32 (the unit-length embedding)
 * </pre>
 *
 * Records are only appended. A process killed mid-append leaves at most one partial record at the
 * end, which the next open cuts off. A later record for the same hash wins.
 *
 * <p>Thread-safe: lookups may run concurrently with each other and with appends.
 */
public final class EmbeddingCache implements AutoCloseable {
  private static final byte[] MAGIC = "FSEMBED1".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_BYTES = 32;

  private final Path file;
  private final int dimension;
  private final FileChannel channel;
  private final long headerBytes;
  private final Map<String, Long> offsets = new ConcurrentHashMap<>();
  private final int recordBytes;
  private long end;
  private int truncatedBytes;

  private EmbeddingCache(Path file, int dimension, FileChannel channel, long headerBytes) {
    this.file = file;
    this.dimension = dimension;
    this.channel = channel;
    this.headerBytes = headerBytes;
    this.recordBytes = HASH_BYTES + 4 * dimension;
  }

  /**
   * Opens (or creates) the cache file for one embedder configuration inside {@code dir}.
   *
   * @throws IllegalStateException when an existing file's header does not match the ids given (a
   *     foreign or corrupt file)
   */
  public static EmbeddingCache open(
      Path dir, String modelId, String weightsId, String preprocessing, int dimension)
      throws IOException {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got: " + dimension);
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName(modelId, weightsId, preprocessing));
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = header(modelId, weightsId, preprocessing, dimension);
      if (ch.size() == 0) {
        ch.write(header.duplicate(), 0);
        ch.force(true);
      } else {
        ByteBuffer existing = ByteBuffer.allocate(header.remaining());
        ch.read(existing, 0);
        existing.flip();
        if (!existing.equals(header)) {
          throw new IllegalStateException(
              "embedding cache "
                  + file
                  + " was not written for model "
                  + modelId
                  + ", weights "
                  + weightsId
                  + ", preprocessing "
                  + preprocessing
                  + ", dimension "
                  + dimension
                  + ": move it away to start a new cache");
        }
      }
      EmbeddingCache cache = new EmbeddingCache(file, dimension, ch, header.remaining());
      cache.load();
      return cache;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Whether {@code dir} holds a cache file for this configuration with at least one record, without
   * creating or opening it for writing.
   */
  public static boolean holdsRecords(
      Path dir, String modelId, String weightsId, String preprocessing, int dimension)
      throws IOException {
    Path file = dir.resolve(fileName(modelId, weightsId, preprocessing));
    return Files.isRegularFile(file)
        && Files.size(file) >= header(modelId, weightsId, preprocessing, dimension).remaining()
            + HASH_BYTES + 4L * dimension;
  }

  /** The cache file's name: readable ids, with characters unsafe in file names replaced. */
  static String fileName(String modelId, String weightsId, String preprocessing) {
    String readable = (modelId + "__" + weightsId + "__" + preprocessing).replaceAll("[^A-Za-z0-9._-]", "_");
    String digest = sha256Hex((modelId + "\n" + weightsId + "\n" + preprocessing).getBytes(StandardCharsets.UTF_8));
    return readable + "-" + digest.substring(0, 8) + ".emb";
  }

  /** The SHA-256 of some bytes, in lowercase hex: the key of an image. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** The cache file. */
  public Path file() {
    return file;
  }

  /** The number of distinct images cached. */
  public int size() {
    return offsets.size();
  }

  /** Bytes of a partial last record cut off when the file was opened (a killed writer's). */
  public int truncatedBytes() {
    return truncatedBytes;
  }

  /** The cached embedding for an image, or null. */
  public float[] get(String sha256Hex) {
    Long offset = offsets.get(sha256Hex);
    if (offset == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
    try {
      readFully(buf, offset + HASH_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embedding cache " + file, e);
    }
    buf.flip();
    float[] v = new float[dimension];
    buf.asFloatBuffer().get(v);
    return v;
  }

  /** Appends an embedding; it reaches the OS at once, so it survives a kill of this process. */
  public synchronized void put(String sha256Hex, float[] embedding) throws IOException {
    if (embedding.length != dimension) {
      throw new IllegalArgumentException(
          "embedding must have " + dimension + " dimensions, got: " + embedding.length);
    }
    byte[] hash = HexFormat.of().parseHex(sha256Hex);
    if (hash.length != HASH_BYTES) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256Hex);
    }
    ByteBuffer buf = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(hash);
    for (float x : embedding) {
      buf.putFloat(x);
    }
    buf.flip();
    long at = end;
    while (buf.hasRemaining()) {
      at += channel.write(buf, at);
    }
    offsets.put(sha256Hex, end);
    end = at;
  }

  /** Forces appended records to the disk. */
  public synchronized void sync() throws IOException {
    channel.force(false);
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel.isOpen()) {
      channel.force(false);
      channel.close();
    }
  }

  private void load() throws IOException {
    long size = channel.size();
    long complete = headerBytes + (size - headerBytes) / recordBytes * recordBytes;
    if (complete < size) {
      truncatedBytes = (int) (size - complete);
      channel.truncate(complete);
    }
    ByteBuffer hash = ByteBuffer.allocate(HASH_BYTES);
    HexFormat hex = HexFormat.of();
    for (long at = headerBytes; at < complete; at += recordBytes) {
      hash.clear();
      readFully(hash, at);
      offsets.put(hex.formatHex(hash.array()), at);
    }
    end = complete;
  }

  private void readFully(ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, at);
      if (n < 0) {
        throw new IOException("unexpected end of " + file + " at " + at);
      }
      at += n;
    }
  }

  private static ByteBuffer header(
      String modelId, String weightsId, String preprocessing, int dimension) {
    byte[][] strings = {
      modelId.getBytes(StandardCharsets.UTF_8),
      weightsId.getBytes(StandardCharsets.UTF_8),
      preprocessing.getBytes(StandardCharsets.UTF_8)
    };
    int size = MAGIC.length + 4;
    for (byte[] s : strings) {
      size += 4 + s.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).putInt(dimension);
    for (byte[] s : strings) {
      buf.putInt(s.length).put(s);
    }
    return buf.flip();
  }
}
