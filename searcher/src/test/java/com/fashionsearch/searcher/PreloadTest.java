package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.IndexGenerations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generation small enough for the machine is mapped into memory whole when it opens. */
class PreloadTest {
  @TempDir Path dir;

  @Test
  void preloadsAnIndexOfUpToHalfTheMemory() {
    long gib = 1L << 30;
    assertTrue(OpenGeneration.preloads(800L << 20, 24 * gib));
    assertTrue(OpenGeneration.preloads(12 * gib, 24 * gib));
    assertFalse(OpenGeneration.preloads(12 * gib + 1, 24 * gib));
    // a machine whose memory the JVM cannot tell preloads nothing
    assertFalse(OpenGeneration.preloads(1, 0));
  }

  @Test
  void aSmallGenerationOpensPreloadedAndAnswers() throws Exception {
    assertTrue(OpenGeneration.physicalMemory() > 0, "this JVM should tell the machine's memory");
    long n = TestIndexes.oneProductGeneration(dir);
    OpenGeneration g =
        OpenGeneration.open(n, new IndexGenerations(dir.resolve("index")).generationDir(n), null);
    try {
      assertTrue(g.preloaded);
      assertEquals(1, g.searcher.count(new org.apache.lucene.search.MatchAllDocsQuery()));
    } finally {
      g.release();
    }
  }
}
