package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.UnitLength;
import com.fashionsearch.models.learned.LabelProjection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reindex that learns a projection from the catalog's labels, or takes another index's. */
class LearnedReindexTest {
  private static final long CATALOG_SEED = 11;

  @TempDir Path tmp;

  private ReindexSummary reindex(Path catalog, Path index, LearnOptions learn) throws IOException {
    return new Reindexer(
            new ReindexOptions(catalog, index, 16, false, VectorIndexOptions.DEFAULT, true, learn),
            PixelGridEmbedder::new,
            ProgressListener.NONE)
        .run();
  }

  private static IndexMetadata metadata(Path generation) throws IOException {
    try (FSDirectory d = FSDirectory.open(generation);
        DirectoryReader r = DirectoryReader.open(d)) {
      return IndexMetadata.fromUserData(r.getIndexCommit().getUserData());
    }
  }

  /** Every document's vector by product id. */
  private static Map<String, float[]> vectors(Path generation) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    try (FSDirectory d = FSDirectory.open(generation);
        DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
        StoredFields stored = leaf.reader().storedFields();
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc();
            doc != KnnVectorValues.DocIndexIterator.NO_MORE_DOCS;
            doc = it.nextDoc()) {
          out.put(stored.document(doc).get(IndexSchema.ID), values.vectorValue(it.index()).clone());
        }
      }
    }
    return out;
  }

  @Test
  void aLabelledCatalogGetsAProjectionSavedInTheGenerationAndEveryVectorGoesThroughIt()
      throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 120, CATALOG_SEED);
    Path index = tmp.resolve("index");
    ReindexSummary summary = reindex(catalog, index, LearnOptions.parse("articleType,baseColour"));

    Path generation = new IndexGenerations(index).currentDir();
    IndexMetadata m = metadata(generation);
    assertTrue(m.isLearned(), "metadata records the projection: " + m);
    assertTrue(m.learned().startsWith("articleType("), m.learned());
    Path learned = generation.resolve(Reindexer.LEARNED_DIR);
    assertTrue(LabelProjection.existsIn(learned), "the projection is saved in the generation");
    LabelProjection projection = LabelProjection.load(learned);
    assertEquals(List.of("articleType", "baseColour"), projection.info().columns());
    assertEquals(projection.outputDimension(), m.dimension());
    assertEquals(PixelGridEmbedder.DIMENSION, projection.inputDimension());
    assertTrue(summary.learned().contains("articleType"), summary.learned());
    assertTrue(
        summary.lines().stream().anyMatch(l -> l.startsWith("learned projection: articleType")),
        String.join("\n", summary.lines()));

    // the index holds the projection of each product's own embedding
    Map<String, float[]> indexed = vectors(generation);
    assertEquals(120, indexed.size());
    PixelGridEmbedder embedder = new PixelGridEmbedder();
    String id = indexed.keySet().iterator().next();
    float[] raw =
        embedder
            .embed(
                List.of(
                    com.fashionsearch.models.ImageDecoder.decode(
                        catalog.resolve("images").resolve(id + ".jpg"))))[0];
    assertArrayEquals(projection.apply(raw), indexed.get(id), 1e-5f);
  }

  @Test
  void anotherIndexsProjectionCanBeAppliedToACatalogWhoseLabelsItNeverSaw() throws Exception {
    Path labelled = tmp.resolve("labelled");
    SyntheticCatalog.write(labelled, 120, CATALOG_SEED);
    Path source = tmp.resolve("source");
    reindex(labelled, source, LearnOptions.parse("articleType"));
    LabelProjection sourceProjection =
        LabelProjection.load(
            new IndexGenerations(source).currentDir().resolve(Reindexer.LEARNED_DIR));

    Path other = tmp.resolve("other");
    SyntheticCatalog.write(other, 60, CATALOG_SEED + 1);
    Path target = tmp.resolve("target");
    ReindexSummary summary = reindex(other, target, LearnOptions.from(source));
    Path generation = new IndexGenerations(target).currentDir();
    LabelProjection applied = LabelProjection.load(generation.resolve(Reindexer.LEARNED_DIR));
    assertEquals(sourceProjection.info(), applied.info());
    assertTrue(metadata(generation).isLearned());
    assertTrue(
        summary.learned().contains("from 1"),
        summary.learned()); // trained on the source's products
  }

  @Test
  void learningFromAnIndexWithoutAProjectionOrOfAnotherModelIsRefusedAndTheCurrentGenerationStays()
      throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 60, CATALOG_SEED);
    Path plain = tmp.resolve("plain");
    reindex(catalog, plain, LearnOptions.NONE);
    Path target = tmp.resolve("target");
    reindex(catalog, target, LearnOptions.NONE);
    long before = new IndexGenerations(target).current().getAsLong();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> reindex(catalog, target, LearnOptions.from(plain)));
    assertTrue(e.getMessage().contains("has no learned projection"), e.getMessage());
    assertEquals(
        before, new IndexGenerations(target).current().getAsLong(), "the current generation stays");
  }

  private ReindexSummary reindexWithIntermediates(Path catalog, Path index, LearnOptions learn)
      throws IOException {
    return new Reindexer(
            new ReindexOptions(catalog, index, 16, false, VectorIndexOptions.DEFAULT, true, learn),
            PixelGridEmbedder::withFeaturesBehind,
            ProgressListener.NONE)
        .run();
  }

  @Test
  void intermediateFeaturesFeedTheProjectionAndAnIndexWithoutOneHoldsTheVisualPartAlone()
      throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 120, CATALOG_SEED);
    String id;
    float[] full;
    try (var embedder = PixelGridEmbedder.withFeaturesBehind()) {
      Path image;
      try (var files = Files.list(catalog.resolve("images"))) {
        image = files.sorted().findFirst().orElseThrow();
      }
      id = image.getFileName().toString().replace(".jpg", "");
      full = embedder.embed(List.of(ImageDecoder.decode(image)))[0];
    }
    float[] visual = UnitLength.leading(full, PixelGridEmbedder.DIMENSION);

    Path learnedIndex = tmp.resolve("learned");
    reindexWithIntermediates(catalog, learnedIndex, LearnOptions.parse("articleType,baseColour"));
    Path generation = new IndexGenerations(learnedIndex).currentDir();
    LabelProjection projection = LabelProjection.load(generation.resolve(Reindexer.LEARNED_DIR));
    assertEquals(2 * PixelGridEmbedder.DIMENSION, projection.inputDimension());
    assertEquals(PixelGridEmbedder.DIMENSION, projection.info().visualDimension());
    assertEquals(
        PixelGridEmbedder.DIMENSION + projection.learnedDimension(),
        metadata(generation).dimension());
    assertArrayEquals(projection.apply(full), vectors(generation).get(id), 1e-5f);

    Path plainIndex = tmp.resolve("plain");
    reindexWithIntermediates(catalog, plainIndex, LearnOptions.NONE);
    Path plain = new IndexGenerations(plainIndex).currentDir();
    assertEquals(PixelGridEmbedder.DIMENSION, metadata(plain).dimension());
    assertArrayEquals(visual, vectors(plain).get(id), 1e-6f, "the visual part, renormalised");
    Path small = tmp.resolve("small");
    SyntheticCatalog.write(small, 30, CATALOG_SEED);
    Path autoIndex = tmp.resolve("auto");
    reindexWithIntermediates(small, autoIndex, LearnOptions.AUTO);
    Path auto = new IndexGenerations(autoIndex).currentDir();
    assertFalse(metadata(auto).isLearned());
    assertEquals(
        PixelGridEmbedder.DIMENSION,
        metadata(auto).dimension(),
        "nothing learned: the index holds the visual part");
  }

  @Test
  void autoLearnsNothingFromACatalogTooSmallAndSaysSo() throws Exception {
    Path catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 30, CATALOG_SEED);
    Path index = tmp.resolve("index");
    ReindexSummary summary = reindex(catalog, index, LearnOptions.AUTO);
    Path generation = new IndexGenerations(index).currentDir();
    assertFalse(metadata(generation).isLearned());
    assertFalse(Files.exists(generation.resolve(Reindexer.LEARNED_DIR)));
    assertEquals(PixelGridEmbedder.DIMENSION, metadata(generation).dimension());
    assertTrue(
        summary.lines().contains("learned projection: none (the vectors are the network's own)"));
    // explicit columns on the same catalog are refused, naming the problem
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> reindex(catalog, tmp.resolve("explicit"), LearnOptions.parse("articleType")));
    assertTrue(e.getMessage().contains("at least 50 products"), e.getMessage());
  }

  @Test
  void learnOptionsParseColumnsAndRefuseUnknownOnes() {
    assertEquals(LearnOptions.Mode.AUTO, LearnOptions.parse("auto").mode());
    assertEquals(LearnOptions.Mode.NONE, LearnOptions.parse("None").mode());
    assertEquals(
        List.of("articleType", "gender"), LearnOptions.parse("articleType, gender").columns());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LearnOptions.parse("articleType,colour"));
    assertTrue(e.getMessage().contains("'colour'"), e.getMessage());
  }
}
