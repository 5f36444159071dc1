package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fashionsearch.indexer.IndexGenerations;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation chooses how to run each filter once: the count and the block share are not redone
 * per query.
 */
class FilterChoiceCacheTest {
  @TempDir Path dir;

  private static Query gender(String value) {
    return new TermQuery(new Term("gender", value));
  }

  @Test
  void aFilterIsChosenOnceForEqualQueriesAndTheCacheIsBounded() throws Exception {
    long n = TestIndexes.oneProductGeneration(dir);
    OpenGeneration g =
        OpenGeneration.open(n, new IndexGenerations(dir.resolve("index")).generationDir(n), null);
    try {
      AtomicInteger chosen = new AtomicInteger();
      OpenGeneration.FilterChoice women = new OpenGeneration.FilterChoice(1, true, 0);
      assertSame(
          women,
          g.filterChoice(
              gender("Women"),
              f -> {
                chosen.incrementAndGet();
                return women;
              }));
      // An equal query built anew, as each request builds its own, finds the first choice.
      assertSame(
          women,
          g.filterChoice(
              gender("Women"),
              f -> {
                chosen.incrementAndGet();
                return null;
              }));
      assertEquals(1, chosen.get());
      OpenGeneration.FilterChoice men = new OpenGeneration.FilterChoice(0, false, 0);
      assertSame(
          men,
          g.filterChoice(
              gender("Men"),
              f -> {
                chosen.incrementAndGet();
                return men;
              }));
      assertEquals(2, chosen.get());

      // Past the bound the cache starts again, so many distinct filters cannot grow it without end.
      for (int i = 0; i < OpenGeneration.MAX_FILTER_CHOICES; i++) {
        g.filterChoice(gender("g" + i), f -> men);
      }
      OpenGeneration.FilterChoice again = new OpenGeneration.FilterChoice(1, false, 20);
      assertSame(
          again,
          g.filterChoice(gender("Women"), f -> again),
          "Women was chosen anew after the restart");
    } finally {
      g.release();
    }
  }
}
