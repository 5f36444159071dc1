package com.fashionsearch.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings already computed, keyed by model, weights, preprocessing and the SHA-256 of the image
 * file's bytes, so that a rerun re-embeds only new or changed images.
 *
 * <p>One file per (model, weights, preprocessing), under the index's {@code cache/} folder, in a
 * portable little-endian layout that any machine (say a GPU box that built it) can hand to another:
 *
 * <pre>
 * header:  8 bytes  magic "FSEMBED2"
 *          int32    dimension D
 *          int32 n, n bytes UTF-8   model id
 *          int32 n, n bytes UTF-8   weights id
 *          int32 n, n bytes UTF-8   preprocessing id
 *          int32    CRC-32 of the header bytes before it
 * records: 32 bytes SHA-256 of the image file, then D float32 (the unit-length embedding), then
 *          int32 CRC-32 of the record's bytes before it
 * </pre>
 *
 * Records are only appended. A process killed mid-append leaves at most one partial record at the
 * end, which the next open cuts off. A later record for the same hash wins.
 *
 * <p>Damage is never used: a record whose checksum fails, on open or on a later read, counts as
 * missing, so its image is embedded again (and appended anew); on open the file is rewritten
 * without the damaged records. A damaged header (its checksum fails) moves the file aside as {@code
 * <name>.corrupt} and a new cache starts. A file of the first format ({@code FSEMBED1}, the same
 * without checksums) is read and rewritten in this one. A file that is not a cache at all, or one
 * written for other ids, is refused.
 *
 * <p>Thread-safe: lookups may run concurrently with each other and with appends.
 */
public final class EmbeddingCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
  private static final byte[] MAGIC = "FSEMBED2".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC_V1 = "FSEMBED1".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_BYTES = 32;
  private static final int CRC_BYTES = 4;

  private final Path file;
  private final int dimension;
  private final FileChannel channel;
  private final long headerBytes;
  private final Map<String, Long> offsets = new ConcurrentHashMap<>();
  private final int recordBytes;
  private long end;
  private int truncatedBytes;
  private final AtomicInteger damagedRecords = new AtomicInteger();
  private boolean rebuilt;

  private EmbeddingCache(Path file, int dimension, FileChannel channel, long headerBytes) {
    this.file = file;
    this.dimension = dimension;
    this.channel = channel;
    this.headerBytes = headerBytes;
    this.recordBytes = HASH_BYTES + 4 * dimension + CRC_BYTES;
  }

  /**
   * Opens (or creates) the cache file for one embedder configuration inside {@code dir}.
   *
   * @throws IllegalStateException when an existing file is no embedding cache or one written for
   *     other ids
   */
  public static EmbeddingCache open(
      Path dir, String modelId, String weightsId, String preprocessing, int dimension)
      throws IOException {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got: " + dimension);
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(fileName(modelId, weightsId, preprocessing));
    ByteBuffer header = header(modelId, weightsId, preprocessing, dimension);
    boolean rebuilt = false;
    if (Files.isRegularFile(file) && Files.size(file) > 0) {
      rebuilt = prepare(file, header, modelId, weightsId, preprocessing, dimension);
    }
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (ch.size() == 0) {
        ch.write(header.duplicate(), 0);
        ch.force(true);
      }
      EmbeddingCache cache = new EmbeddingCache(file, dimension, ch, header.remaining());
      cache.rebuilt = rebuilt;
      cache.load();
      return cache;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Checks an existing file's header before it is opened for appending: moves a damaged one aside,
   * rewrites a first-format one, refuses a foreign one.
   *
   * @return whether the file was moved aside (the cache starts empty)
   */
  private static boolean prepare(
      Path file,
      ByteBuffer header,
      String modelId,
      String weightsId,
      String preprocessing,
      int dimension)
      throws IOException {
    byte[] head = new byte[Math.min((int) Files.size(file), header.remaining())];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.read(ByteBuffer.wrap(head), 0);
    }
    if (startsWith(head, MAGIC_V1)) {
      upgrade(file, header, modelId, weightsId, preprocessing, dimension);
      return false;
    }
    if (!startsWith(head, MAGIC)) {
      throw new IllegalStateException(
          "embedding cache "
              + file
              + " is not an FSEMBED2 or FSEMBED1 file: move it away to start a new cache");
    }
    if (ByteBuffer.wrap(head).equals(header.duplicate())) {
      return false;
    }
    if (headerChecksumFails(file)) {
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.warn(
          "embedding cache {} has a damaged header: moved to {}; its images are embedded again",
          file,
          aside);
      return true;
    }
    throw notWrittenFor(file, "", modelId, weightsId, preprocessing, dimension);
  }

  private static IllegalStateException notWrittenFor(
      Path file,
      String format,
      String modelId,
      String weightsId,
      String preprocessing,
      int dimension) {
    return new IllegalStateException(
        "embedding cache "
            + file
            + format
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

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Whether an FSEMBED2 header's own checksum fails (or the header cannot be parsed at all). */
  private static boolean headerChecksumFails(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer buf =
          ByteBuffer.allocate((int) Math.min(size, 1 << 16)).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(buf, 0);
      buf.flip();
      buf.position(MAGIC.length + 4);
      for (int i = 0; i < 3; i++) {
        if (buf.remaining() < 4) {
          return true;
        }
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
          return true;
        }
        buf.position(buf.position() + n);
      }
      if (buf.remaining() < 4) {
        return true;
      }
      int at = buf.position();
      int stored = buf.getInt();
      CRC32 crc = new CRC32();
      crc.update(buf.array(), 0, at);
      return (int) crc.getValue() != stored;
    }
  }

  /**
   * Rewrites a first-format file (no checksums) in this format: its header must name these ids; its
   * complete records are kept, each with its new checksum.
   */
  private static void upgrade(
      Path file,
      ByteBuffer header,
      String modelId,
      String weightsId,
      String preprocessing,
      int dimension)
      throws IOException {
    ByteBuffer v1Header = headerV1(modelId, weightsId, preprocessing, dimension);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < v1Header.remaining()
        || !ByteBuffer.wrap(bytes, 0, v1Header.remaining()).equals(v1Header)) {
      throw notWrittenFor(file, " (FSEMBED1)", modelId, weightsId, preprocessing, dimension);
    }
    int v1Record = HASH_BYTES + 4 * dimension;
    int records = (bytes.length - v1Header.remaining()) / v1Record;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(header.duplicate());
      ByteBuffer record = ByteBuffer.allocate(v1Record + CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < records; i++) {
        record.clear();
        record.put(bytes, v1Header.remaining() + i * v1Record, v1Record);
        record.putInt(crc(record.array(), v1Record));
        record.flip();
        while (record.hasRemaining()) {
          out.write(record);
        }
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LOG.info(
        "embedding cache {}: rewrote {} records of the FSEMBED1 format as FSEMBED2 (with"
            + " checksums)",
        file,
        records);
  }

  private static int crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
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
        && Files.size(file)
            >= header(modelId, weightsId, preprocessing, dimension).remaining()
                + HASH_BYTES
                + 4L * dimension
                + CRC_BYTES;
  }

  /** The cache file's name: readable ids, with characters unsafe in file names replaced. */
  static String fileName(String modelId, String weightsId, String preprocessing) {
    String readable =
        (modelId + "__" + weightsId + "__" + preprocessing).replaceAll("[^A-Za-z0-9._-]", "_");
    String digest =
        sha256Hex(
            (modelId + "\n" + weightsId + "\n" + preprocessing).getBytes(StandardCharsets.UTF_8));
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

  /**
   * Records found damaged (their checksum failed) on open or on a later read: never used, their
   * images are embedded again.
   */
  public int damagedRecords() {
    return damagedRecords.get();
  }

  /**
   * Whether the file's header was damaged, so that it was moved aside and this cache started empty.
   */
  public boolean rebuilt() {
    return rebuilt;
  }

  /** The cached embedding for an image, or null when there is none or its record is damaged. */
  public float[] get(String sha256Hex) {
    Long offset = offsets.get(sha256Hex);
    if (offset == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      readFully(buf, offset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embedding cache " + file, e);
    }
    if (!intact(buf.array())
        || !sha256Hex.equals(HexFormat.of().formatHex(buf.array(), 0, HASH_BYTES))) {
      // damaged since it was opened: never used; the image is embedded again and appended anew
      offsets.remove(sha256Hex, offset);
      damagedRecords.incrementAndGet();
      LOG.warn(
          "embedding cache {}: the record of {} at byte {} is damaged; embedding its image again",
          file,
          sha256Hex,
          offset);
      return null;
    }
    buf.position(HASH_BYTES).limit(HASH_BYTES + 4 * dimension);
    float[] v = new float[dimension];
    buf.asFloatBuffer().get(v);
    return v;
  }

  private boolean intact(byte[] record) {
    int stored =
        ByteBuffer.wrap(record, recordBytes - CRC_BYTES, CRC_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .getInt();
    return crc(record, recordBytes - CRC_BYTES) == stored;
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
    buf.putInt(crc(buf.array(), recordBytes - CRC_BYTES));
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
    ByteBuffer record = ByteBuffer.allocate(recordBytes);
    HexFormat hex = HexFormat.of();
    List<Long> damaged = new ArrayList<>();
    for (long at = headerBytes; at < complete; at += recordBytes) {
      record.clear();
      readFully(record, at);
      if (intact(record.array())) {
        offsets.put(hex.formatHex(record.array(), 0, HASH_BYTES), at);
      } else {
        damaged.add(at);
      }
    }
    end = complete;
    if (!damaged.isEmpty()) {
      damagedRecords.addAndGet(damaged.size());
      compact();
      LOG.warn(
          "embedding cache {}: {} damaged records (checksum failed, first at byte {}) dropped;"
              + " their images are embedded again",
          file,
          damaged.size(),
          damaged.get(0));
    }
  }

  /** Rewrites the file with only the intact records, latest per hash, and reloads their offsets. */
  private void compact() throws IOException {
    ByteBuffer record = ByteBuffer.allocate(recordBytes);
    List<Long> keep = offsets.values().stream().sorted().toList();
    long at = headerBytes;
    Map<String, Long> moved = new java.util.HashMap<>();
    HexFormat hex = HexFormat.of();
    for (long from : keep) {
      record.clear();
      readFully(record, from);
      record.flip();
      long to = at;
      while (record.hasRemaining()) {
        to += channel.write(record, to);
      }
      moved.put(hex.formatHex(record.array(), 0, HASH_BYTES), at);
      at = to;
    }
    channel.truncate(at);
    channel.force(true);
    offsets.clear();
    offsets.putAll(moved);
    end = at;
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
    ByteBuffer v = build(MAGIC, modelId, weightsId, preprocessing, dimension, CRC_BYTES);
    v.putInt(crc(v.array(), v.position()));
    return v.flip();
  }

  private static ByteBuffer headerV1(
      String modelId, String weightsId, String preprocessing, int dimension) {
    return build(MAGIC_V1, modelId, weightsId, preprocessing, dimension, 0).flip();
  }

  private static ByteBuffer build(
      byte[] magic,
      String modelId,
      String weightsId,
      String preprocessing,
      int dimension,
      int extra) {
    byte[][] strings = {
      modelId.getBytes(StandardCharsets.UTF_8),
      weightsId.getBytes(StandardCharsets.UTF_8),
      preprocessing.getBytes(StandardCharsets.UTF_8)
    };
    int size = magic.length + 4 + extra;
    for (byte[] s : strings) {
      size += 4 + s.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(magic).putInt(dimension);
    for (byte[] s : strings) {
      buf.putInt(s.length).put(s);
    }
    return buf;
  }
}
