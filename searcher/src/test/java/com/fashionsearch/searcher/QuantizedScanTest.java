package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizedScanTest {
  @TempDir Path dir;

  @Test
  void aSegmentScannedInRangesOnSeveralThreadsGivesWhatOneThreadGives() throws Exception {
    int n = 3 * QuantizedScan.MIN_PARTITION_DOCS;
    float[][] vectors = SyntheticVectors.clustered(n + 5, 32, 30, 5);
    try (FSDirectory d = FSDirectory.open(dir)) {
      try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig()
          .setCodec(new FashionCodec(new VectorIndexOptions(16, 100, VectorIndexOptions.Quantization.BBQ)))
          .setRAMBufferSizeMB(256))) {
        for (int i = 0; i < n; i++) {
          Document doc = new Document();
          doc.add(new KeywordField("colour", i % 3 == 0 ? "Red" : "Blue", Field.Store.NO));
          doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, vectors[i], IndexSchema.SIMILARITY));
          w.addDocument(doc);
        }
        w.forceMerge(1);
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try (DirectoryReader reader = DirectoryReader.open(d)) {
        // the 4-range scan runs on the pool through the searcher's TaskExecutor
        QuantizedScan one = new QuantizedScan(1);
        QuantizedScan four = new QuantizedScan(4);
        IndexSearcher searcher = new IndexSearcher(reader);
        IndexSearcher parallel = new IndexSearcher(reader, pool);
        Query red = KeywordField.newExactQuery("colour", "Red");
        for (int q = n; q < n + 5; q++) {
          for (Query filter : Arrays.asList(null, red)) {
            int[] expected = one.best(searcher, vectors[q], filter, 50);
            int[] actual = four.best(parallel, vectors[q], filter, 50);
            Arrays.sort(expected);
            Arrays.sort(actual);
            assertEquals(50, expected.length);
            assertArrayEquals(expected, actual, "query " + q + " filter " + filter);
            if (filter != null) {
              Arrays.stream(actual).forEach(doc -> assertEquals(0, doc % 3, "doc " + doc + " is not Red"));
            }
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void concatenatedTopScoresKeepTheBestAndBreakTiesByLowerDocument() {
    QuantizedScan.TopScores a = new QuantizedScan.TopScores(3);
    a.offer(1, 0.5f);
    a.offer(2, 0.7f);
    a.offer(3, 0.1f);
    QuantizedScan.TopScores b = new QuantizedScan.TopScores(3);
    b.offer(4, 0.9f);
    b.offer(6, 0.7f);
    b.offer(8, 0.95f);
    // 0.95 (8), 0.9 (4), then 0.7 tied between 2 and 6: the lower document wins
    assertArrayEquals(new int[] {2, 4, 8}, QuantizedScan.TopScores.concat(List.of(a, b), 3).docs());
    QuantizedScan.TopScores few = new QuantizedScan.TopScores(5);
    few.offer(7, 0.2f);
    assertArrayEquals(new int[] {7}, few.docs());
  }

  @Test
  void kthLargestAgreesWithSorting() {
    java.util.Random random = new java.util.Random(3);
    for (int round = 0; round < 200; round++) {
      float[] values = new float[1 + random.nextInt(300)];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextInt(20) / 4f; // many ties
      }
      float[] sorted = values.clone();
      Arrays.sort(sorted);
      int k = 1 + random.nextInt(values.length);
      assertEquals(sorted[values.length - k], QuantizedScan.TopScores.kthLargest(values.clone(), k), "k=" + k);
    }
  }
}
