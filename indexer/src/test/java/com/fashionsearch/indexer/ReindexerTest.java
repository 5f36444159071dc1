package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReindexerTest {
  @TempDir Path tmp;

  private ReindexSummary reindex(
      Path catalog, Path index, PixelGridEmbedder embedder, boolean strict) throws IOException {
    return new Reindexer(
            new ReindexOptions(catalog, index, 4, strict, VectorIndexOptions.DEFAULT),
            () -> embedder,
            ProgressListener.NONE)
        .run();
  }

  /**
   * Reindexes {@code catalog} into a folder of its own, flushing a segment every {@code flushEvery}
   * documents, merged or not; returns the current generation's folder.
   */
  private Path reindexFlushingEvery(int flushEvery, Path catalog, boolean merge)
      throws IOException {
    Path index = tmp.resolve("index-" + merge);
    new Reindexer(
            new ReindexOptions(catalog, index, 4, false, VectorIndexOptions.DEFAULT, merge),
            PixelGridEmbedder::new,
            ProgressListener.NONE)
        .flushEvery(flushEvery)
        .run();
    return new IndexGenerations(index).currentDir();
  }

  /**
   * A document's sort attributes, joined so that strings sort as the index sort does (missing
   * first).
   */
  private static String sortKey(Document document) {
    StringBuilder key = new StringBuilder();
    for (String attribute : IndexSchema.SORT_ATTRIBUTES) {
      String value = document.get(attribute);
      key.append(value == null ? "" : value).append('\u0000');
    }
    return key.toString();
  }

  private static int numDocs(Path generationDir) throws IOException {
    try (FSDirectory d = FSDirectory.open(generationDir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      return reader.numDocs();
    }
  }

  @Test
  void indexesEveryProductWithItsAttributesAndMetadata() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    List<String> ids = SyntheticCatalog.write(catalog, 30, 1);
    PixelGridEmbedder embedder = new PixelGridEmbedder();

    ReindexSummary summary = reindex(catalog, index, embedder, false);

    assertEquals(30, summary.indexed());
    assertEquals(30, summary.embedded());
    assertEquals(0, summary.fromCache());
    assertEquals(1, summary.generation());
    assertEquals(OptionalLong.empty(), summary.previous());
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(1, generations.current().getAsLong());
    try (FSDirectory d = FSDirectory.open(generations.currentDir());
        DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(30, reader.numDocs());
      IndexMetadata metadata = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
      assertEquals("pixel-grid", metadata.modelId());
      assertEquals(PixelGridEmbedder.DIMENSION, metadata.dimension());
      assertEquals(30, metadata.products());
      assertEquals(1, metadata.generation());
      assertEquals(catalog.toAbsolutePath().normalize().toString(), metadata.catalog());
      IndexSearcher searcher = new IndexSearcher(reader);
      TopDocs hit = searcher.search(new TermQuery(new Term(IndexSchema.ID, ids.get(3))), 1);
      Document doc = searcher.storedFields().document(hit.scoreDocs[0].doc);
      assertEquals("Footwear", doc.get("masterCategory"));
      assertEquals("Casual Shoes", doc.get("articleType"));
      assertEquals(ids.get(3) + ".jpg", doc.get(IndexSchema.IMAGE));
      assertEquals(
          9,
          searcher.count(new TermQuery(new Term("masterCategory", "Footwear"))),
          "three of the nine article types are footwear");
    }
  }

  @Test
  void theGenerationIsMergedIntoOneSegmentAndItsVectorsClusteredUnlessAskedNotTo()
      throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 30, 5);
    for (boolean merge : new boolean[] {true, false}) {
      Path generation = reindexFlushingEvery(4, catalog, merge);
      try (FSDirectory d = FSDirectory.open(generation);
          DirectoryReader reader = DirectoryReader.open(d)) {
        assertEquals(30, reader.numDocs());
        if (merge) {
          assertEquals(1, reader.leaves().size(), "merged into one segment");
          VectorClusters clusters =
              VectorClusters.read(generation, 30, PixelGridEmbedder.DIMENSION);
          assertEquals(1, clusters.count(), "Lucene's k-means keeps 100 vectors a cluster");
        } else {
          assertTrue(
              reader.leaves().size() > 1,
              "written a segment per 4 documents: " + reader.leaves().size());
          assertFalse(
              Files.exists(generation.resolve(VectorClusters.FILE)),
              "the clusters number one segment's documents");
        }
        IndexMetadata.fromUserData(reader.getIndexCommit().getUserData()).requireSchema();
      }
    }
  }

  @Test
  void everySegmentIsSortedByGenderThenCategorySoThatAFilterMatchesFewRuns() throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 40, 6);
    for (boolean merge : new boolean[] {true, false}) {
      try (FSDirectory d = FSDirectory.open(reindexFlushingEvery(7, catalog, merge));
          DirectoryReader reader = DirectoryReader.open(d)) {
        assertEquals(40, reader.numDocs());
        for (LeafReaderContext leaf : reader.leaves()) {
          assertEquals(
              IndexSchema.indexSort(),
              leaf.reader().getMetaData().sort(),
              "segment " + leaf.ord + " sorted");
          List<String> keys = new ArrayList<>();
          StoredFields stored = leaf.reader().storedFields();
          for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
            keys.add(sortKey(stored.document(doc)));
          }
          List<String> sorted = new ArrayList<>(keys);
          sorted.sort(null);
          assertEquals(
              sorted,
              keys,
              "documents in (gender, masterCategory, ...) order in segment " + leaf.ord);
          assertTrue(keys.stream().distinct().count() > 3, "the catalog mixes attributes: " + keys);
        }
      }
    }
  }

  @Test
  void aReindexWithAnotherModelSaysTheModelChanges() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 8, 2);
    reindex(catalog, index, new PixelGridEmbedder(), false);
    Path current = new IndexGenerations(index).currentDir();
    assertEquals(
        Optional.empty(),
        Reindexer.describeModelChange(current, new PixelGridEmbedder()),
        "same model: nothing to say");
    PixelGridEmbedder same = new PixelGridEmbedder();
    com.fashionsearch.models.ImageEmbedder other =
        (com.fashionsearch.models.ImageEmbedder)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {com.fashionsearch.models.ImageEmbedder.class},
                (proxy, method, args) ->
                    method.getName().equals("weightsId") ? "other" : method.invoke(same, args));
    String change = Reindexer.describeModelChange(current, other).orElseThrow();
    assertTrue(
        change.startsWith(
            "model changes from pixel-grid (weights none, "
                + PixelGridEmbedder.DIMENSION
                + "-d) to pixel-grid (weights other"),
        change);
    assertEquals(
        Optional.empty(), Reindexer.describeModelChange(tmp.resolve("no-such-generation"), other));
  }

  @Test
  void aRerunTakesEveryEmbeddingFromTheCacheAndKeepsThePreviousGeneration() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 20, 2);
    reindex(catalog, index, new PixelGridEmbedder(), false);

    PixelGridEmbedder second = new PixelGridEmbedder();
    ReindexSummary summary = reindex(catalog, index, second, false);
    assertEquals(0, summary.embedded());
    assertEquals(20, summary.fromCache());
    assertEquals(0, second.images, "the network never ran");
    assertEquals(2, summary.generation());
    assertEquals(OptionalLong.of(1), summary.previous());

    reindex(catalog, index, new PixelGridEmbedder(), false);
    assertEquals(
        List.of(2L, 3L),
        new IndexGenerations(index).list(),
        "the previous one is kept, older ones go");
  }

  @Test
  void aChangedImageIsEmbeddedAgainAndOnlyIt() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    List<String> ids = SyntheticCatalog.write(catalog, 12, 3);
    reindex(catalog, index, new PixelGridEmbedder(), false);
    Path other = tmp.resolve("other");
    SyntheticCatalog.write(other, 12, 4);
    Files.copy(
        other.resolve("images/" + ids.get(5) + ".jpg"),
        catalog.resolve("images/" + ids.get(5) + ".jpg"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    ReindexSummary summary = reindex(catalog, index, new PixelGridEmbedder(), false);
    assertEquals(1, summary.embedded());
    assertEquals(11, summary.fromCache());
  }

  @Test
  void aCorruptImageIsSkippedAndCountedByReason() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    List<String> ids = SyntheticCatalog.write(catalog, 10, 5);
    Files.writeString(
        catalog.resolve("images/" + ids.get(2) + ".jpg"),
        "this is not a JPEG",
        StandardCharsets.UTF_8);

    ReindexSummary summary = reindex(catalog, index, new PixelGridEmbedder(), false);
    assertEquals(9, summary.indexed());
    assertEquals(1, summary.skippedTotal());
    String reason = summary.skipped().keySet().iterator().next();
    assertTrue(reason.startsWith("image-"), reason);
    assertTrue(
        summary.lines().stream().anyMatch(l -> l.contains("skipped " + reason + ": 1")),
        summary.lines().toString());
  }

  @Test
  void strictModeFailsOnTheFirstProblemAndTheCurrentGenerationStays() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    List<String> ids = SyntheticCatalog.write(catalog, 10, 6);
    reindex(catalog, index, new PixelGridEmbedder(), false);
    Files.writeString(
        catalog.resolve("images/" + ids.get(7) + ".jpg"), "garbage", StandardCharsets.UTF_8);

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> reindex(catalog, index, new PixelGridEmbedder(), true));
    assertTrue(e.getMessage().contains(ids.get(7)), e.getMessage());
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(1, generations.current().getAsLong());
    assertEquals(10, numDocs(generations.currentDir()));
  }

  @Test
  void aCatalogWithNothingIndexableNeverReplacesAGoodGeneration() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    List<String> ids = SyntheticCatalog.write(catalog, 5, 7);
    reindex(catalog, index, new PixelGridEmbedder(), false);
    for (String id : ids) {
      Files.write(catalog.resolve("images/" + id + ".jpg"), new byte[0]);
    }
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> reindex(catalog, index, new PixelGridEmbedder(), false));
    assertTrue(e.getMessage().contains("generation 1 stays current"), e.getMessage());
    assertEquals(5, numDocs(new IndexGenerations(index).currentDir()));
  }

  @Test
  void aReindexKilledMidRunLeavesThePreviousGenerationServingAndTheRerunCompletes()
      throws Exception {
    Path small = tmp.resolve("small");
    Path large = tmp.resolve("large");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(small, 8, 8);
    SyntheticCatalog.write(large, 40, 8); // the same seed: its first 8 products are the small one's
    reindex(small, index, new PixelGridEmbedder(), false);

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KillableReindex.class.getName(),
                large.toString(),
                index.toString(),
                "150")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> seen = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.add(line);
        if (line.equals("BATCH 6")) {
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
          break;
        }
      }
    }
    assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
    assertFalse(seen.contains("DONE"), "the run was killed before it finished: " + seen);

    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(1, generations.current().getAsLong(), "CURRENT still names the old generation");
    assertEquals(
        8, numDocs(generations.currentDir()), "the old generation answers with its old count");
    assertTrue(
        generations.list().contains(2L),
        "the killed run had started generation 2: " + generations.list());

    PixelGridEmbedder rerun = new PixelGridEmbedder();
    ReindexSummary summary = reindex(large, index, rerun, false);
    assertEquals(40, summary.indexed());
    assertTrue(
        summary.fromCache() >= 8 + 6 * 2 - 2,
        "the killed run's embeddings were kept (" + summary.fromCache() + " from cache)");
    assertEquals(3, summary.generation(), "the half-written generation's number is not reused");
    assertEquals(List.of(1L, 3L), generations.list(), "the killed run's folder is gone");
    assertEquals(40, numDocs(generations.currentDir()));
  }

  @Test
  void summaryCountsAreRecordedInTheCommit() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 6, 9);
    reindex(catalog, index, new PixelGridEmbedder(), false);
    try (FSDirectory d = FSDirectory.open(new IndexGenerations(index).currentDir());
        DirectoryReader reader = DirectoryReader.open(d)) {
      Map<String, Integer> counts =
          IndexMetadata.fromUserData(reader.getIndexCommit().getUserData()).counts();
      assertEquals(6, counts.get("embedded"));
      assertEquals(6, counts.get("catalog-rows"));
    }
  }
}
