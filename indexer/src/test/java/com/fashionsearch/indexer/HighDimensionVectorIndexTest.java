package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.HnswHighDimensionVectorsFormat;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.indexer.codec.VectorIndexOptions.Quantization;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 4096-d vectors go into Lucene through FashionCodec and come back through plain Lucene readers.
 */
class HighDimensionVectorIndexTest {
  private static final long SEED = 20261126L;
  private static final int DIM = 4096;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Quantization.class)
  void vectorsOf4096DimensionsReadBackExactlyThroughSpi(Quantization quantization)
      throws Exception {
    Random random = new Random(SEED);
    float[][] vectors = new float[50][];
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w =
            new IndexWriter(
                d,
                new IndexWriterConfig()
                    .setCodec(
                        new FashionCodec(
                            new VectorIndexOptions(16, 100, quantization).resolve(DIM))))) {
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = unitVector(random, DIM);
        Document doc = new Document();
        doc.add(new KeywordField(IndexSchema.ID, Integer.toString(i), Field.Store.YES));
        doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, vectors[i], IndexSchema.SIMILARITY));
        w.addDocument(doc);
      }
      w.forceMerge(1);
      w.commit();
    }
    // Read with no codec given: Lucene's default codec finds our format by its SPI name.
    try (Directory d = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(1, reader.leaves().size());
      LeafReader leaf = reader.leaves().get(0).reader();
      FloatVectorValues values = leaf.getFloatVectorValues(IndexSchema.VECTOR);
      assertEquals(DIM, values.dimension());
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc();
          doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS;
          doc = it.nextDoc()) {
        int id = Integer.parseInt(leaf.storedFields().document(doc).get(IndexSchema.ID));
        assertArrayEquals(vectors[id], values.vectorValue(it.index()), 0f, "vector of doc " + id);
      }
      TopDocs top =
          new IndexSearcher(reader)
              .search(new KnnFloatVectorQuery(IndexSchema.VECTOR, vectors[7], 3), 3);
      int best =
          Integer.parseInt(
              reader.storedFields().document(top.scoreDocs[0].doc).get(IndexSchema.ID));
      assertEquals(7, best, "a vector's nearest neighbour is itself (" + quantization + ")");
    }
  }

  @Test
  void lucenesOwnFormatRefusesWhatOursAccepts() {
    KnnVectorsFormat ours = KnnVectorsFormat.forName(HnswHighDimensionVectorsFormat.NAME);
    assertEquals(4096, ours.getMaxDimensions(IndexSchema.VECTOR));
    assertTrue(KnnVectorsFormat.forName("Lucene99HnswVectorsFormat").getMaxDimensions("x") < DIM);
  }

  @Test
  void theDefaultCodecRefuses4096Dimensions() throws Exception {
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      Document doc = new Document();
      doc.add(
          new KnnFloatVectorField("v", unitVector(new Random(SEED), DIM), IndexSchema.SIMILARITY));
      assertThrows(IllegalArgumentException.class, () -> w.addDocument(doc));
    }
  }

  @Test
  void hnswOptionsAreValidated() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new VectorIndexOptions(1, 100, Quantization.NONE));
    assertTrue(e.getMessage().contains("got: 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Quantization.parse("int2"));
    assertTrue(e.getMessage().contains("'int2'"), e.getMessage());
  }

  @Test
  void theMetadataDescriptionReadsBackAndSaysWhetherTheGraphIsQuantized() {
    for (Quantization q : Quantization.values()) {
      VectorIndexOptions options = new VectorIndexOptions(24, 200, q).resolve(DIM);
      assertEquals(options, VectorIndexOptions.parse(options.describe()));
      assertEquals(q != Quantization.NONE, options.quantized(), q.name());
    }
    VectorIndexOptions auto = VectorIndexOptions.RECOMMENDED;
    assertEquals(Quantization.BBQ, auto.resolve(4096).quantization());
    assertEquals(
        Quantization.BBQ, auto.resolve(Quantization.AUTO_BBQ_MIN_DIMENSION).quantization());
    assertEquals(
        Quantization.NONE, auto.resolve(Quantization.AUTO_BBQ_MIN_DIMENSION - 1).quantization());
    assertEquals(
        Quantization.INT4,
        new VectorIndexOptions(16, 100, Quantization.INT4).resolve(4).quantization());
    IllegalStateException unresolved = assertThrows(IllegalStateException.class, auto::format);
    assertTrue(unresolved.getMessage().contains("resolve"), unresolved.getMessage());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VectorIndexOptions.parse("flat(16)"));
    assertTrue(e.getMessage().contains("'flat(16)'"), e.getMessage());
  }

  static float[] unitVector(Random random, int dim) {
    float[] v = new float[dim];
    double sum = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = random.nextFloat();
      sum += v[i] * v[i];
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < dim; i++) {
      v[i] /= norm;
    }
    return v;
  }
}
