package com.fashionsearch.indexer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.sandbox.codecs.quantization.KMeans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters of a generation's vectors: k-means centroids (Lucene's {@link KMeans}, spherical, so
 * that a centroid's dot product with a query ranks clusters as the index ranks products) and the
 * cluster of every document. Written beside the Lucene files as {@value #FILE} once the generation
 * is committed; the searcher answers a k-NN query under a filter by scoring exactly the matches of
 * the clusters nearest the query, instead of a walk or a scan of every match.
 *
 * <p>A generation is clustered when it is one segment whose every document has a vector (what
 * {@code fashion reindex} writes); the documents are then numbered as the vectors are, and the file
 * stores the cluster of each in that order. {@link #clusterCount} clusters: about twice the square
 * root of the documents, so that scoring the centroids costs a fraction of what the candidates do.
 *
 * <p>The file: {@code FSCLUST1}, the cluster count, the dimension and the document count (ints),
 * the centroids (floats), each document's cluster (shorts), then the CRC-32 of everything before it
 * (a long); big-endian. Reading checks every part and names what is wrong.
 *
 * <p>Immutable and thread-safe; the arrays it returns must not be changed.
 */
public final class VectorClusters {
  private static final Logger LOG = LoggerFactory.getLogger(VectorClusters.class);

  /** The file's name in a generation folder. */
  public static final String FILE = "clusters.bin";

  private static final byte[] MAGIC = "FSCLUST1".getBytes(StandardCharsets.US_ASCII);

  private static final int HEADER_BYTES = MAGIC.length + 3 * Integer.BYTES;

  /** The k-means seed: the same vectors always give the same clusters. */
  static final long SEED = 42L;

  /** Lloyd iterations of the k-means (it stops earlier once it has converged). */
  static final int ITERATIONS = 10;

  /**
   * The k-means learns its centroids from a sample of at most this many vectors (at least 100 per
   * cluster, which Lucene's {@link KMeans} requires), then assigns every vector.
   */
  static final int SAMPLE = 20_000;

  private final float[][] centroids;
  private final short[] clusterOf;

  private VectorClusters(float[][] centroids, short[] clusterOf) {
    this.centroids = centroids;
    this.clusterOf = clusterOf;
  }

  /** The centroids, one per cluster, each of the index's dimension. */
  public float[][] centroids() {
    return centroids;
  }

  /** The cluster of each document, by doc id. */
  public short[] clusterOf() {
    return clusterOf;
  }

  /** How many clusters. */
  public int count() {
    return centroids.length;
  }

  /** How many documents. */
  public int documents() {
    return clusterOf.length;
  }

  /** The vectors' dimension. */
  public int dimension() {
    return centroids[0].length;
  }

  /**
   * The clusters made of {@code documents} vectors: twice the square root of the documents, at
   * least 1 and at most {@link KMeans#MAX_NUM_CENTROIDS} (Lucene's k-means lowers it to one per 100
   * vectors on small indexes). On the 44,000-product index, 420 clusters found 0.94 of the exact
   * top 10 under {@code masterCategory=Footwear} from 1,000 candidates where 210 found 0.86
   * (docs/benchmarks-history.md, "Filtered queries from the nearest clusters").
   */
  public static int clusterCount(int documents) {
    if (documents < 0) {
      throw new IllegalArgumentException("documents must not be negative, got: " + documents);
    }
    return (int)
        Math.max(1, Math.min(KMeans.MAX_NUM_CENTROIDS, Math.round(2 * Math.sqrt(documents))));
  }

  /**
   * Clusters the vectors of field {@code field} of {@code reader}; empty when the index cannot be
   * clustered (several segments, documents without a vector, deleted documents, no vectors), which
   * the log says.
   */
  public static Optional<VectorClusters> build(DirectoryReader reader, String field)
      throws IOException {
    Optional<String> why = unclusterable(reader, field);
    if (why.isPresent()) {
      LOG.info("the vectors are not clustered: {}", why.get());
      return Optional.empty();
    }
    LeafReader leaf = reader.leaves().get(0).reader();
    FloatVectorValues values = leaf.getFloatVectorValues(field);
    return Optional.of(build(values, clusterCount(values.size())));
  }

  /** Clusters {@code values} into about {@code clusters} clusters (fewer on small indexes). */
  static VectorClusters build(FloatVectorValues values, int clusters) throws IOException {
    long start = System.nanoTime();
    LOG.info(
        "clustering {} vectors of {} dimensions into about {} clusters...",
        values.size(),
        values.dimension(),
        clusters);
    KMeans.Results results =
        KMeans.cluster(
            values,
            clusters,
            true,
            SEED,
            KMeans.KmeansInitializationMethod.PLUS_PLUS,
            true,
            1,
            ITERATIONS,
            SAMPLE);
    VectorClusters built = new VectorClusters(results.centroids(), results.vectorCentroids());
    LOG.info(
        "clustered {} vectors into {} clusters in {} s",
        values.size(),
        built.count(),
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    return built;
  }

  /** Why {@code reader}'s vectors cannot be clustered, or empty when they can. */
  static Optional<String> unclusterable(DirectoryReader reader, String field) throws IOException {
    if (reader.leaves().size() != 1) {
      return Optional.of("the generation has " + reader.leaves().size() + " segments, not one");
    }
    LeafReader leaf = reader.leaves().get(0).reader();
    if (leaf.hasDeletions()) {
      return Optional.of("the generation has deleted documents");
    }
    FloatVectorValues values = leaf.getFloatVectorValues(field);
    if (values == null || values.size() == 0) {
      return Optional.of("the generation has no vectors");
    }
    if (values.size() != leaf.maxDoc()) {
      return Optional.of(
          values.size() + " of the generation's " + leaf.maxDoc() + " documents have a vector");
    }
    return Optional.empty();
  }

  /** Writes {@value #FILE} into {@code dir}, through a temporary file moved into place. */
  public void write(Path dir) throws IOException {
    int d = dimension();
    ByteBuffer b =
        ByteBuffer.allocate(
            HEADER_BYTES + count() * d * Float.BYTES + documents() * Short.BYTES + Long.BYTES);
    b.put(MAGIC).putInt(count()).putInt(d).putInt(documents());
    for (float[] c : centroids) {
      for (float x : c) {
        b.putFloat(x);
      }
    }
    for (short c : clusterOf) {
      b.putShort(c);
    }
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putLong(crc.getValue());
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.write(tmp, b.array());
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads {@value #FILE} from {@code dir} and checks it against the generation it belongs to: its
   * {@code documents} and its vectors' {@code dimension}.
   *
   * @throws IOException naming the file and what is wrong with it: missing, truncated, another
   *     format, a checksum that does not match, or clusters of another index
   */
  public static VectorClusters read(Path dir, int documents, int dimension) throws IOException {
    Path file = dir.resolve(FILE);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < HEADER_BYTES + Long.BYTES
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException(file + " is not a clusters file (" + bytes.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(MAGIC.length);
    int clusters = b.getInt();
    int d = b.getInt();
    int n = b.getInt();
    if (clusters < 1 || clusters > KMeans.MAX_NUM_CENTROIDS || d < 1 || n < 1) {
      throw new IOException(
          file
              + " has an impossible header: "
              + clusters
              + " clusters, "
              + d
              + "-d, "
              + n
              + " documents");
    }
    long expected =
        HEADER_BYTES + (long) clusters * d * Float.BYTES + (long) n * Short.BYTES + Long.BYTES;
    if (bytes.length != expected) {
      throw new IOException(
          file + " has " + bytes.length + " bytes, its header says " + expected + ": truncated?");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - Long.BYTES);
    if (ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong() != crc.getValue()) {
      throw new IOException(file + " is corrupt: its checksum does not match");
    }
    if (d != dimension || n != documents) {
      throw new IOException(
          file
              + " clusters "
              + n
              + " vectors of "
              + d
              + " dimensions; the generation has "
              + documents
              + " of "
              + dimension);
    }
    float[][] centroids = new float[clusters][d];
    for (float[] c : centroids) {
      for (int i = 0; i < d; i++) {
        c[i] = b.getFloat();
      }
    }
    short[] clusterOf = new short[n];
    for (int i = 0; i < n; i++) {
      short c = b.getShort();
      if (c < 0 || c >= clusters) {
        throw new IOException(
            file + " puts document " + i + " in cluster " + c + " of " + clusters);
      }
      clusterOf[i] = c;
    }
    return new VectorClusters(centroids, clusterOf);
  }
}
