package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which filters a quantized index scans rather than walks: by documents matched, and by blocks
 * touched.
 */
class ScanChoiceTest {
  private static final int N = 200;

  @TempDir Path dir;

  /** 200 documents in one segment, in insertion order, each in some of the filters below. */
  private DirectoryReader index() throws Exception {
    FSDirectory d = FSDirectory.open(dir);
    try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      for (int i = 0; i < N; i++) {
        Document doc = new Document();
        if (i < 80) {
          doc.add(new KeywordField("f", "run40", Field.Store.NO)); // 40%, one run of doc ids
        }
        if (i % 2 == 0 && i < 160) {
          doc.add(new KeywordField("f", "spread40", Field.Store.NO)); // 40%, every other document
        }
        if (i % 5 == 0) {
          doc.add(new KeywordField("f", "spread20", Field.Store.NO)); // 20%, every fifth
        }
        if (i < 100) {
          doc.add(new KeywordField("f", "run50", Field.Store.NO)); // 50%, one run
        }
        w.addDocument(doc);
      }
    }
    return DirectoryReader.open(d);
  }

  private static Query f(String value) {
    return KeywordField.newExactQuery("f", value);
  }

  private static boolean scans(KnnTuning tuning, IndexSearcher searcher, String value)
      throws Exception {
    Query filter = f(value);
    return KnnPlanner.scans(tuning, searcher, filter, searcher.count(filter));
  }

  @Test
  void theBlockShareCountsTheBlocksOfEightDocumentsHoldingAMatch() throws Exception {
    try (DirectoryReader reader = index()) {
      IndexSearcher searcher = new IndexSearcher(reader);
      assertEquals(10 / 25.0, KnnPlanner.blockShare(searcher, f("run40")), 1e-9);
      assertEquals(20 / 25.0, KnnPlanner.blockShare(searcher, f("spread40")), 1e-9);
      assertEquals(1.0, KnnPlanner.blockShare(searcher, f("spread20")), 1e-9);
      assertEquals(0.0, KnnPlanner.blockShare(searcher, f("nothing")), 1e-9);
    }
  }

  @Test
  void theDefaultScansFewMatchesAndBroadFiltersInLongRunsAndWalksTheRest() throws Exception {
    try (DirectoryReader reader = index()) {
      IndexSearcher searcher = new IndexSearcher(reader);
      KnnTuning tuning = KnnTuning.DEFAULT;
      assertTrue(
          scans(tuning, searcher, "spread20"), "under 30% of the documents, wherever they are");
      assertTrue(scans(tuning, searcher, "run40"), "40% of the documents in 40% of the blocks");
      assertFalse(
          scans(tuning, searcher, "spread40"),
          "40% of the documents spread over 80% of the blocks");
      assertFalse(
          scans(tuning, searcher, "run50"),
          "at 50% of the documents the walk is faster, runs or not");
    }
  }

  @Test
  void withoutABlocksThresholdOnlyTheDocumentShareCounts() throws Exception {
    try (DirectoryReader reader = index()) {
      IndexSearcher searcher = new IndexSearcher(reader);
      KnnTuning byDocuments = KnnTuning.WALK_ONLY.withScanBelowPercent(30);
      assertEquals(0, byDocuments.scanBlocksBelowPercent());
      assertTrue(scans(byDocuments, searcher, "spread20"));
      assertFalse(scans(byDocuments, searcher, "run40"));
      KnnTuning walkOnly = KnnTuning.WALK_ONLY;
      assertFalse(scans(walkOnly, searcher, "spread20"));
    }
  }
}
