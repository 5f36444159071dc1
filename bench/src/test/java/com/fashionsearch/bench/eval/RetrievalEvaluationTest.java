package com.fashionsearch.bench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.bench.eval.EvaluationReport.Method;
import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.data.Product;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.IndexMetadata;
import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.ProductDocuments;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.searcher.KnnTuning;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nine-product index whose neighbours are known by construction (4-d vectors at chosen angles):
 * three T-shirts near e1, three shirts near e2, a T-shirt {@code x} that looks like a shirt (near
 * e2), two watches near e3 leaning towards e1. The expected figures are worked out in the comments.
 */
class RetrievalEvaluationTest {
  @TempDir static Path root;

  @BeforeAll
  static void writeIndex() throws Exception {
    IndexGenerations generations = new IndexGenerations(root);
    Path dir = generations.generationDir(1);
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
      add(w, "a1", "Tshirts", "Topwear", "Apparel", v(1, 0, 0, 0));
      add(w, "a2", "Tshirts", "Topwear", "Apparel", v(1, 0, 0, 0.1));
      add(w, "a3", "Tshirts", "Topwear", "Apparel", v(1, 0, 0, 0.2));
      add(w, "b1", "Shirts", "Topwear", "Apparel", v(0, 1, 0, 0.1));
      add(w, "b2", "Shirts", "Topwear", "Apparel", v(0, 1, 0, 0.2));
      add(w, "b3", "Shirts", "Topwear", "Apparel", v(0, 1, 0, 0.3));
      add(w, "x", "Tshirts", "Topwear", "Apparel", v(0, 1, 0, -0.05));
      add(w, "c1", "Watches", "Watches", "Accessories", v(0.1, 0, 1, 0));
      add(w, "c2", "Watches", "Watches", "Accessories", v(0.2, 0, 1, 0));
      w.setLiveCommitData(
          new IndexMetadata(
                  IndexSchema.VERSION,
                  "test",
                  "none",
                  true,
                  4,
                  "DOT_PRODUCT",
                  VectorIndexOptions.DEFAULT.describe(),
                  root.toString(),
                  1,
                  9,
                  Map.of())
              .toUserData()
              .entrySet());
      w.forceMerge(1);
      w.commit();
    }
    generations.switchTo(1);
  }

  private static float[] v(double... x) {
    double n = 0;
    for (double a : x) {
      n += a * a;
    }
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) (x[i] / Math.sqrt(n));
    }
    return out;
  }

  private static void add(
      IndexWriter w, String id, String type, String sub, String master, float[] vector)
      throws Exception {
    Map<String, String> attributes = new HashMap<>();
    for (String c : CatalogColumns.ATTRIBUTES) {
      attributes.put(c, "");
    }
    attributes.put("articleType", type);
    attributes.put("subCategory", sub);
    attributes.put("masterCategory", master);
    w.addDocument(
        ProductDocuments.toDocument(new Product(id, attributes, Path.of(id + ".jpg")), vector));
  }

  @Test
  void leaveOneOutGivesTheFiguresWorkedOutByHand() throws Exception {
    try (EvaluationIndex index = EvaluationIndex.open(root)) {
      assertEquals(9, index.items().size());
      EvaluationReport r =
          new RetrievalEvaluation(2, 100).leaveOneOut(index, ProgressListener.NONE);
      // top-2 per query: a1 {a2,a3} a2 {a3,a1} a3 {a2,a1} b1 {b2,x} b2 {b3,b1} b3 {b2,b1}
      // x {b1,b2} c1 {c2,a1} c2 {c1,a1}
      // articleType P@2: 1,1,1,.5,1,1,0,.5,.5 = 6.5/9; AP@2: 1,1,1,.5,1,1,0,1,1 = 7.5/9
      // (b1: hit at rank 1 of R=2 shirts: 1/2; c1: hit at rank 1 of R=1 watch: 1/1)
      for (Method m : Method.values()) {
        assertEquals(6.5 / 9, r.score(m, 0).precision(), 1e-9, m.name());
        assertEquals(7.5 / 9, r.score(m, 0).averagePrecision(), 1e-9, m.name());
        assertEquals(9, r.score(m, 0).queries());
        // subCategory and masterCategory: only the watches' second neighbour is wrong
        assertEquals(8.0 / 9, r.score(m, 1).precision(), 1e-9);
        assertEquals(8.0 / 9, r.score(m, 2).precision(), 1e-9);
        Map<String, EvaluationReport.Score> groups = r.byMasterCategory(m);
        assertEquals(5.5 / 7, groups.get("Apparel").precision(), 1e-9);
        assertEquals(7, groups.get("Apparel").queries());
        assertEquals(0.5, groups.get("Accessories").precision(), 1e-9);
        assertEquals(1.0, groups.get("Accessories").averagePrecision(), 1e-9);
      }
      assertEquals(1.0, r.graphRecall(), 1e-9);
      assertEquals(
          "eval k=2 P@2[articleType]=0.722 mAP@2[articleType]=0.833 P@2[subCategory]=0.889"
              + " P@2[masterCategory]=0.889",
          r.summaryLine());
      String text = r.format();
      assertTrue(text.endsWith(r.summaryLine() + System.lineSeparator()), text);
      assertTrue(text.contains("leave-one-out"), text);
    }
  }

  @Test
  void heldOutQueriesAreLeftOutOfTheirOwnResultsWhenTheyAreInTheIndex() throws Exception {
    try (EvaluationIndex index = EvaluationIndex.open(root)) {
      List<LabeledVector> queries =
          List.of(
              // a new watch: its neighbours are c2 and c1, both relevant (R = 2)
              new LabeledVector(
                  "q1", List.of("Watches", "Watches", "Accessories"), v(0.3, 0, 1, 0)),
              // a1 again: itself excluded, so a2 and a3
              new LabeledVector("a1", List.of("Tshirts", "Topwear", "Apparel"), v(1, 0, 0, 0)));
      EvaluationReport r =
          new RetrievalEvaluation(2, 100).heldOut(index, queries, ProgressListener.NONE);
      assertEquals(1.0, r.score(Method.EXACT, 0).precision(), 1e-9);
      assertEquals(1.0, r.score(Method.GRAPH, 0).averagePrecision(), 1e-9);
      assertTrue(r.format().contains("1 held-out queries are also in the index"), r.format());
    }
  }

  @Test
  void onAQuantizedIndexTheGraphColumnRanksByExactScoresAsTheProductDoes(@TempDir Path bbqRoot)
      throws Exception {
    int n = 300;
    int dimension = 512;
    float[][] vectors = SyntheticVectors.clustered(n, dimension, 12, 5);
    VectorIndexOptions options = VectorIndexOptions.RECOMMENDED.resolve(dimension);
    assertEquals(VectorIndexOptions.Quantization.BBQ, options.quantization());
    IndexGenerations generations = new IndexGenerations(bbqRoot);
    try (FSDirectory d = FSDirectory.open(generations.generationDir(1));
        IndexWriter w =
            new IndexWriter(d, new IndexWriterConfig().setCodec(new FashionCodec(options)))) {
      for (int i = 0; i < n; i++) {
        // labels follow the clusters loosely, so that precision is neither 0 nor 1
        String type = "Type" + (i % 12 + (i % 5 == 0 ? 1 : 0));
        add(
            w,
            "p" + i,
            type,
            "Sub" + (i % 3),
            "Master",
            SyntheticVectors.normalise(vectors[i].clone()));
      }
      w.setLiveCommitData(
          new IndexMetadata(
                  IndexSchema.VERSION,
                  "test",
                  "none",
                  true,
                  dimension,
                  "DOT_PRODUCT",
                  options.describe(),
                  bbqRoot.toString(),
                  1,
                  n,
                  Map.of())
              .toUserData()
              .entrySet());
      w.forceMerge(1);
      w.commit();
    }
    generations.switchTo(1);
    try (EvaluationIndex index = EvaluationIndex.open(bbqRoot)) {
      // the walk's candidates cover the catalog: exact rescoring must give exactly the exact column
      EvaluationReport r = new RetrievalEvaluation(10, n).leaveOneOut(index, ProgressListener.NONE);
      assertEquals(
          1.0, r.graphRecall(), 1e-9, "graph top-10 equals the exact top-10 once rescored");
      for (int level = 0; level < 3; level++) {
        assertEquals(
            r.score(Method.EXACT, level).precision(),
            r.score(Method.GRAPH, level).precision(),
            1e-12);
        assertEquals(
            r.score(Method.EXACT, level).averagePrecision(),
            r.score(Method.GRAPH, level).averagePrecision(),
            1e-12);
      }
      assertTrue(
          r.score(Method.EXACT, 0).precision() > 0 && r.score(Method.EXACT, 0).precision() < 1,
          r.format());
    }
  }

  @Test
  void theDefaultCandidatesAreTheProductSearchersOwn() {
    assertEquals(KnnTuning.DEFAULT.minCandidates(), RetrievalEvaluation.DEFAULT_GRAPH_CANDIDATES);
  }

  @Test
  void badArgumentsAreRefusedWithTheValue() throws Exception {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RetrievalEvaluation(0, 100));
    assertTrue(e.getMessage().contains("got: 0"), e.getMessage());
    try (EvaluationIndex index = EvaluationIndex.open(root)) {
      List<LabeledVector> wrong =
          List.of(new LabeledVector("q", List.of("a", "b", "c"), new float[] {1, 0}));
      IllegalArgumentException dim =
          assertThrows(
              IllegalArgumentException.class,
              () -> new RetrievalEvaluation(2, 100).heldOut(index, wrong, ProgressListener.NONE));
      assertTrue(dim.getMessage().contains("dimension 2"), dim.getMessage());
    }
    IllegalStateException none =
        assertThrows(
            IllegalStateException.class, () -> EvaluationIndex.open(root.resolve("missing")));
    assertTrue(none.getMessage().contains("missing"), none.getMessage());
  }
}
