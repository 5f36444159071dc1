package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.indexer.IndexGenerations;
import com.fashionsearch.indexer.LearnOptions;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.indexer.ReindexOptions;
import com.fashionsearch.indexer.Reindexer;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.histogram.ColorHistogramEmbedder;
import com.fashionsearch.models.learned.LabelProjection;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searching an index whose generation learned a projection: every query goes through it. */
class LearnedSearchTest {
  private static final long CATALOG_SEED = 5;

  @TempDir static Path tmp;
  static Path catalog;
  static Path index;

  @BeforeAll
  static void learnedIndex() throws Exception {
    catalog = tmp.resolve("catalog");
    SyntheticCatalog.write(catalog, 100, CATALOG_SEED);
    index = tmp.resolve("index");
    new Reindexer(
            new ReindexOptions(
                catalog,
                index,
                16,
                false,
                VectorIndexOptions.DEFAULT,
                true,
                LearnOptions.parse("articleType")),
            () -> ColorHistogramEmbedder.forWeights("none"),
            ProgressListener.NONE)
        .run();
  }

  private static BufferedImage image(String id) throws Exception {
    return ImageDecoder.decode(catalog.resolve("images").resolve(id + ".jpg"));
  }

  @Test
  void anUploadedImageOfAProductFindsThatProductFirstThroughTheProjection() throws Exception {
    try (LuceneProductSearcher searcher = LuceneProductSearcher.open(index)) {
      LabelProjection projection =
          LabelProjection.load(
              new IndexGenerations(index).currentDir().resolve(Reindexer.LEARNED_DIR));
      assertEquals(projection.outputDimension(), searcher.info().dimension());
      assertEquals(
          projection.info().describe(),
          searcher.info().learned(),
          "the index names its projection");
      for (String id : List.of("10000", "10017", "10042")) {
        SearchResults byImage =
            searcher.similarToImage(image(id), SearchFilters.NONE, SearchOptions.top(5));
        assertEquals(
            1.0,
            byImage.hits().get(0).score(),
            1e-4,
            "the product's own image scores 1: " + byImage.hits());
        float[] raw;
        try (ColorHistogramEmbedder embedder = ColorHistogramEmbedder.forWeights("none")) {
          raw = embedder.embed(List.of(image(id)))[0];
        }
        SearchResults byEmbedding =
            searcher.similarToEmbedding(raw, SearchFilters.NONE, SearchOptions.top(5));
        assertEquals(
            ids(byImage), ids(byEmbedding), "an upload is its embedding through the projection");
        SearchResults byVector =
            searcher.similarToVector(
                projection.apply(raw), SearchFilters.NONE, SearchOptions.top(5));
        assertEquals(ids(byImage), ids(byVector));
      }
    }
  }

  @Test
  void anEmbeddingOfTheWrongDimensionIsRefusedNamingBoth() throws Exception {
    try (LuceneProductSearcher searcher = LuceneProductSearcher.open(index)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  searcher.similarToEmbedding(
                      new float[7], SearchFilters.NONE, SearchOptions.top(5)));
      assertTrue(
          e.getMessage().contains("dimension") && e.getMessage().contains("7"), e.getMessage());
    }
  }

  private static List<String> ids(SearchResults r) {
    return r.hits().stream().map(h -> h.item().id()).toList();
  }
}
