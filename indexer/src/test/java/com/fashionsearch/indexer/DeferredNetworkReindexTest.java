package com.fashionsearch.indexer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SyntheticCatalog;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.models.EmbedderIdentity;
import com.fashionsearch.models.LazyEmbedder;
import com.fashionsearch.models.WeightsUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reindex with a deferred network ({@link LazyEmbedder}, as {@code fashion reindex} runs it):
 * built once when anything needs embedding, never when the cache has every vector, up front when
 * the cache is empty (so weights that cannot be built fail before any work).
 */
class DeferredNetworkReindexTest {
  private static final EmbedderIdentity PIXEL_GRID = new PixelGridEmbedder().identity();

  @TempDir Path tmp;

  private final AtomicInteger builds = new AtomicInteger();

  private ReindexSummary reindex(Path catalog, Path index) throws IOException {
    return new Reindexer(
            new ReindexOptions(catalog, index, 4, false, VectorIndexOptions.DEFAULT),
            () ->
                new LazyEmbedder(
                    PIXEL_GRID,
                    () -> {
                      builds.incrementAndGet();
                      return new PixelGridEmbedder();
                    }),
            ProgressListener.NONE)
        .run();
  }

  @Test
  void aCachedRerunNeverBuildsTheNetworkAndWritesTheSameIndex() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 20, 11);

    ReindexSummary first = reindex(catalog, index);
    assertEquals(1, builds.get(), "the first run builds the network once");
    assertEquals(20, first.embedded());

    builds.set(0);
    ReindexSummary rerun = reindex(catalog, index);
    assertEquals(0, builds.get(), "every vector came from the cache: no network");
    assertEquals(0, rerun.embedded());
    assertEquals(20, rerun.fromCache());
    assertEquals(first.lines().size(), rerun.lines().size());
    assertEquals(
        List.of(first.modelId(), first.weightsId()), List.of(rerun.modelId(), rerun.weightsId()));

    IndexGenerations generations = new IndexGenerations(index);
    Map<String, float[]> a = vectorsById(generations.generationDir(first.generation()));
    Map<String, float[]> b = vectorsById(generations.generationDir(rerun.generation()));
    assertEquals(a.keySet(), b.keySet());
    a.forEach((id, v) -> assertArrayEquals(v, b.get(id), id));
    IndexMetadata ma = metadata(generations.generationDir(first.generation()));
    IndexMetadata mb = metadata(generations.generationDir(rerun.generation()));
    assertEquals(
        List.of(
            ma.modelId(),
            ma.weightsId(),
            ma.pretrained(),
            ma.dimension(),
            ma.preprocessing(),
            ma.products()),
        List.of(
            mb.modelId(),
            mb.weightsId(),
            mb.pretrained(),
            mb.dimension(),
            mb.preprocessing(),
            mb.products()));
    try (Stream<Path> files = Files.list(generations.cacheDir())) {
      assertEquals(1, files.count(), "one cache file, the same name both times");
    }
  }

  @Test
  void aPartlyCachedRerunBuildsTheNetworkOnce() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    List<String> ids = SyntheticCatalog.write(catalog, 12, 12);
    reindex(catalog, index);
    Path other = tmp.resolve("other");
    SyntheticCatalog.write(other, 12, 13);
    for (int i : new int[] {3, 9}) {
      Files.copy(
          other.resolve("images/" + ids.get(i) + ".jpg"),
          catalog.resolve("images/" + ids.get(i) + ".jpg"),
          StandardCopyOption.REPLACE_EXISTING);
    }

    builds.set(0);
    ReindexSummary summary = reindex(catalog, index);
    assertEquals(1, builds.get());
    assertEquals(2, summary.embedded());
    assertEquals(10, summary.fromCache());
  }

  @Test
  void weightsThatCannotBeBuiltFailBeforeAnyWorkWhenNothingIsCached() throws Exception {
    Path catalog = tmp.resolve("catalog");
    Path index = tmp.resolve("index");
    SyntheticCatalog.write(catalog, 6, 14);
    WeightsUnavailableException broken =
        new WeightsUnavailableException("cannot read weights x", null);
    Reindexer reindexer =
        new Reindexer(
            new ReindexOptions(catalog, index, 4, false, VectorIndexOptions.DEFAULT),
            () ->
                new LazyEmbedder(
                    PIXEL_GRID,
                    () -> {
                      throw broken;
                    }),
            ProgressListener.NONE);
    assertSame(broken, assertThrows(WeightsUnavailableException.class, reindexer::run));
    IndexGenerations generations = new IndexGenerations(index);
    assertEquals(List.of(), generations.list(), "no generation started");
    assertTrue(
        !Files.exists(generations.cacheDir()) || isEmpty(generations.cacheDir()),
        "no cache file created");
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  private static IndexMetadata metadata(Path generationDir) throws IOException {
    try (FSDirectory d = FSDirectory.open(generationDir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      return IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
    }
  }

  private static Map<String, float[]> vectorsById(Path generationDir) throws IOException {
    Map<String, float[]> out = new TreeMap<>();
    try (FSDirectory d = FSDirectory.open(generationDir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          String id = leaf.reader().storedFields().document(doc).get(IndexSchema.ID);
          out.put(id, values.vectorValue(it.index()).clone());
        }
      }
    }
    return out;
  }
}
