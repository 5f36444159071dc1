package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PatienceKnnVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KnnTuning#walkPatience()}: a walk that stops once its candidates stop adding results takes
 * fewer steps through the graph and still finds the nearest neighbours.
 */
class WalkPatienceTest {
  private static final int N = 10_000;
  private static final int DIM = 32;
  private static final int QUERIES = 20;
  private static final int CANDIDATES = 150;

  private static float[][] vectors;
  private static float[][] queries;
  private static Directory directory;

  @BeforeAll
  static void index() throws Exception {
    float[][] all = SyntheticVectors.clustered(N + QUERIES, DIM, 50, 5);
    for (float[] v : all) {
      SyntheticVectors.normalise(v);
    }
    vectors = Arrays.copyOfRange(all, 0, N);
    queries = Arrays.copyOfRange(all, N, N + QUERIES);
    directory = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(directory, new IndexWriterConfig())) {
      for (float[] v : vectors) {
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, v, IndexSchema.SIMILARITY));
        w.addDocument(doc);
      }
      w.forceMerge(1);
    }
  }

  /**
   * Counts the steps of a walk: Lucene asks the searcher's timeout once per candidate it expands.
   */
  private static final class StepCounter implements QueryTimeout {
    long steps;

    @Override
    public boolean shouldExit() {
      steps++;
      return false;
    }
  }

  private record Walks(long steps, double recall) {}

  private static Walks walkAll(KnnTuning tuning) throws Exception {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setQueryCache(null);
      StepCounter counter = new StepCounter();
      searcher.setTimeout(counter);
      double recall = 0;
      for (float[] q : queries) {
        ScoreDoc[] hits =
            searcher.search(KnnPlanner.walk(tuning, q, CANDIDATES, null, tuning.walkPatience()), 10)
                .scoreDocs;
        assertEquals(10, hits.length);
        Set<Integer> expected = exactTop10(q);
        recall += Arrays.stream(hits).filter(h -> expected.contains(h.doc)).count() / 10.0;
      }
      return new Walks(counter.steps, recall / QUERIES);
    }
  }

  private static Set<Integer> exactTop10(float[] q) {
    Integer[] order = new Integer[N];
    float[] score = new float[N];
    for (int i = 0; i < N; i++) {
      order[i] = i;
      score[i] = IndexSchema.SIMILARITY.compare(q, vectors[i]);
    }
    Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
    return new HashSet<>(Arrays.asList(order).subList(0, 10));
  }

  @Test
  void aPatientWalkTakesFewerStepsAndKeepsRecall() throws Exception {
    KnnTuning untiring = KnnTuning.DEFAULT.withMinCandidates(CANDIDATES).withWalkPatience(0);
    Walks plain = walkAll(untiring);
    Walks patient = walkAll(KnnTuning.DEFAULT);
    assertTrue(plain.steps() > 0, "the step counter sees the walk");
    assertTrue(
        patient.steps() < plain.steps() * 0.9,
        "the default's patience stops walks early: "
            + patient.steps()
            + " steps against "
            + plain.steps());
    assertTrue(plain.recall() >= 0.95, "recall without patience " + plain.recall());
    assertTrue(patient.recall() >= 0.95, "recall with the default patience " + patient.recall());
  }

  @Test
  void noPatienceIsLucenesPlainWalkAndPatienceWrapsIt() {
    float[] q = queries[0];
    assertInstanceOf(
        KnnFloatVectorQuery.class, KnnPlanner.walk(KnnTuning.DEFAULT, q, 150, null, 0));
    assertInstanceOf(
        PatienceKnnVectorQuery.class, KnnPlanner.walk(KnnTuning.DEFAULT, q, 150, null, 20));
  }

  @Test
  void onlyBroadFiltersGetPatience() {
    int patience = KnnTuning.DEFAULT.walkPatience();
    assertEquals(
        patience, KnnPlanner.patienceUnder(KnnTuning.DEFAULT, 470, 1000), "47%, like Apparel");
    assertEquals(patience, KnnPlanner.patienceUnder(KnnTuning.DEFAULT, 450, 1000), "exactly 45%");
    assertEquals(0, KnnPlanner.patienceUnder(KnnTuning.DEFAULT, 449, 1000), "just under 45%");
    assertEquals(0, KnnPlanner.patienceUnder(KnnTuning.DEFAULT, 240, 1000), "24%, like Footwear");
    assertEquals(
        0,
        KnnPlanner.patienceUnder(KnnTuning.DEFAULT.withWalkPatience(0), 900, 1000),
        "none asked");
  }
}
