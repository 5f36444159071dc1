package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.data.Product;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clusters of a generation's vectors: found again from well-separated groups, the same for the
 * same vectors, written and read back whole, and a damaged or foreign file named when read.
 */
class VectorClustersTest {
  private static final int GROUPS = 6;
  private static final int N = 600;
  private static final int DIM = 16;

  @TempDir Path dir;

  /** One segment of N products whose vector i belongs to group i % GROUPS. */
  private float[][] writeIndex(Path index) throws IOException {
    // group g: axis g, plus noise far smaller than the distance between axes
    java.util.Random random = new java.util.Random(3);
    float[][] vectors = new float[N][DIM];
    for (int i = 0; i < N; i++) {
      for (int d = 0; d < DIM; d++) {
        vectors[i][d] = (float) (0.05 * random.nextGaussian());
      }
      vectors[i][i % GROUPS] += 1;
      SyntheticVectors.normalise(vectors[i]);
    }
    try (FSDirectory d = FSDirectory.open(index);
        IndexWriter writer = new IndexWriter(d, new IndexWriterConfig())) {
      for (int i = 0; i < N; i++) {
        writer.addDocument(ProductDocuments.toDocument(product(Integer.toString(i)), vectors[i]));
      }
      writer.forceMerge(1);
      writer.commit();
    }
    return vectors;
  }

  /** A product with every attribute empty but the gender. */
  private Product product(String id) {
    Map<String, String> attributes = new HashMap<>();
    for (String column : CatalogColumns.ATTRIBUTES) {
      attributes.put(column, "");
    }
    attributes.put("gender", "Men");
    return new Product(id, attributes, dir.resolve(id + ".png"));
  }

  private static Optional<VectorClusters> build(Path index) throws IOException {
    try (FSDirectory d = FSDirectory.open(index);
        DirectoryReader reader = DirectoryReader.open(d)) {
      return VectorClusters.build(reader, IndexSchema.VECTOR);
    }
  }

  @Test
  void aboutTheSquareRootOfTheDocumentsWithinLuceneBounds() {
    assertEquals(1, VectorClusters.clusterCount(0));
    assertEquals(2, VectorClusters.clusterCount(1));
    assertEquals(141, VectorClusters.clusterCount(5000));
    assertEquals(420, VectorClusters.clusterCount(44_000));
    assertEquals(32767, VectorClusters.clusterCount(Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> VectorClusters.clusterCount(-1));
  }

  @Test
  void wellSeparatedGroupsAreFoundAgainAndTheSameVectorsGiveTheSameClusters() throws IOException {
    Path index = dir.resolve("index");
    writeIndex(index);
    VectorClusters clusters = build(index).orElseThrow();
    // Lucene's k-means keeps at least 100 vectors a cluster: 600 vectors, 6 clusters
    assertEquals(GROUPS, clusters.count());
    assertEquals(N, clusters.documents());
    assertEquals(DIM, clusters.dimension());
    Map<Integer, Set<Short>> clustersOfGroup = new HashMap<>();
    try (FSDirectory d = FSDirectory.open(index);
        DirectoryReader reader = DirectoryReader.open(d)) {
      for (int doc = 0; doc < N; doc++) {
        Document document = reader.storedFields().document(doc);
        int group = Integer.parseInt(document.get(IndexSchema.ID)) % GROUPS;
        clustersOfGroup.computeIfAbsent(group, g -> new HashSet<>()).add(clusters.clusterOf()[doc]);
      }
    }
    Set<Short> used = new HashSet<>();
    for (Set<Short> c : clustersOfGroup.values()) {
      assertEquals(1, c.size(), "one cluster a group: " + clustersOfGroup);
      used.addAll(c);
    }
    assertEquals(GROUPS, used.size(), "a cluster a group: " + clustersOfGroup);
    for (float[] centroid : clusters.centroids()) {
      double norm = 0;
      for (float x : centroid) {
        norm += x * x;
      }
      assertEquals(1, norm, 1e-4, "spherical k-means: unit centroids");
    }

    VectorClusters again = build(index).orElseThrow();
    assertArrayEquals(clusters.clusterOf(), again.clusterOf());
    for (int c = 0; c < clusters.count(); c++) {
      assertArrayEquals(clusters.centroids()[c], again.centroids()[c]);
    }
  }

  @Test
  void whatIsWrittenIsReadBackAndADamagedOrForeignFileIsNamed() throws IOException {
    Path index = dir.resolve("index");
    writeIndex(index);
    VectorClusters clusters = build(index).orElseThrow();
    clusters.write(index);
    Path file = index.resolve(VectorClusters.FILE);
    assertFalse(Files.exists(index.resolve(VectorClusters.FILE + ".tmp")));
    VectorClusters read = VectorClusters.read(index, N, DIM);
    assertArrayEquals(clusters.clusterOf(), read.clusterOf());
    for (int c = 0; c < clusters.count(); c++) {
      assertArrayEquals(clusters.centroids()[c], read.centroids()[c]);
    }

    IOException other =
        assertThrows(IOException.class, () -> VectorClusters.read(index, N + 1, DIM));
    assertTrue(other.getMessage().contains("601"), other.getMessage());
    other = assertThrows(IOException.class, () -> VectorClusters.read(index, N, DIM * 2));
    assertTrue(other.getMessage().contains("32"), other.getMessage());

    byte[] good = Files.readAllBytes(file);
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(file, flipped);
    IOException corrupt = assertThrows(IOException.class, () -> VectorClusters.read(index, N, DIM));
    assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
    assertTrue(corrupt.getMessage().contains(file.toString()), corrupt.getMessage());

    Files.write(file, Arrays.copyOf(good, good.length - 100));
    IOException truncated =
        assertThrows(IOException.class, () -> VectorClusters.read(index, N, DIM));
    assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

    Files.writeString(file, "not a clusters file at all");
    IOException foreign = assertThrows(IOException.class, () -> VectorClusters.read(index, N, DIM));
    assertTrue(foreign.getMessage().contains("not a clusters file"), foreign.getMessage());

    Files.delete(file);
    assertThrows(IOException.class, () -> VectorClusters.read(index, N, DIM));
  }

  @Test
  void severalSegmentsOrDocumentsWithoutAVectorAreNotClustered() throws IOException {
    Path twoSegments = dir.resolve("two");
    float[][] vectors = SyntheticVectors.clustered(200, DIM, 2, 5);
    try (FSDirectory d = FSDirectory.open(twoSegments);
        IndexWriter writer = new IndexWriter(d, new IndexWriterConfig())) {
      for (int i = 0; i < 200; i++) {
        writer.addDocument(ProductDocuments.toDocument(product(Integer.toString(i)), vectors[i]));
        if (i == 99) {
          writer.flush();
        }
      }
      writer.commit();
    }
    try (FSDirectory d = FSDirectory.open(twoSegments);
        DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(2, reader.leaves().size());
      assertEquals(
          Optional.of("the generation has 2 segments, not one"),
          VectorClusters.unclusterable(reader, IndexSchema.VECTOR));
    }
    assertTrue(build(twoSegments).isEmpty());

    Path sparse = dir.resolve("sparse");
    try (FSDirectory d = FSDirectory.open(sparse);
        IndexWriter writer = new IndexWriter(d, new IndexWriterConfig())) {
      writer.addDocument(ProductDocuments.toDocument(product("1"), vectors[0]));
      Document noVector = ProductDocuments.toDocument(product("2"), vectors[1]);
      noVector.removeField(IndexSchema.VECTOR);
      writer.addDocument(noVector);
      writer.forceMerge(1);
      writer.commit();
    }
    try (FSDirectory d = FSDirectory.open(sparse);
        DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(
          Optional.of("1 of the generation's 2 documents have a vector"),
          VectorClusters.unclusterable(reader, IndexSchema.VECTOR));
    }
    assertTrue(build(sparse).isEmpty());
  }
}
