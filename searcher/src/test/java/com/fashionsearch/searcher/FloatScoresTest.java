package com.fashionsearch.searcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FloatScoresTest {
  private static final int N = 700;

  /** Not a multiple of 16 floats: the vector loops end with a tail. */
  private static final int DIMENSION = 1030;

  @TempDir Path dir;

  private final float[][] vectors = SyntheticVectors.clustered(N + 1, DIMENSION, 10, 5);

  private DirectoryReader index(VectorIndexOptions.Quantization quantization) throws Exception {
    return TestIndexes.vectorIndex(
        new MMapDirectory(dir.resolve(quantization.name())), quantization, vectors, N);
  }

  @ParameterizedTest
  @EnumSource(
      value = VectorIndexOptions.Quantization.class,
      names = {"NONE", "BBQ"})
  void readsTheRawVectorsInPlaceAndScoresAsLuceneCompares(
      VectorIndexOptions.Quantization quantization) throws Exception {
    try (DirectoryReader reader = index(quantization)) {
      VectorAccess.Selection selection = VectorAccess.select(reader, true);
      // on the pom's Lucene version the internals pass their check, on a float index and a BBQ one
      assertEquals(
          VectorAccess.Kind.LUCENE_INTERNALS, selection.access().kind(), selection.reason());
      FloatVectorValues values =
          reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR);
      // both kinds are read in place: a BBQ field's raw vectors are found under its codes
      FloatScores scores = FloatScores.of(selection.access(), values, vectors[N]);
      assertTrue(scores.scorerName().contains("MemorySegment"), scores.scorerName());
      assertScoresAsLuceneCompares(selection.access(), values);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = VectorIndexOptions.Quantization.class,
      names = {"NONE", "BBQ"})
  void lucenesPublicApiScoresAlike(VectorIndexOptions.Quantization quantization) throws Exception {
    try (DirectoryReader reader = index(quantization)) {
      VectorAccess.Selection selection = VectorAccess.select(reader, false);
      assertEquals(VectorAccess.Kind.PUBLIC_API, selection.access().kind(), selection.reason());
      FloatVectorValues values =
          reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR);
      FloatScores scores = FloatScores.of(selection.access(), values, vectors[N]);
      // a BBQ field's vectors are copied out one by one; a float field's are still read in place
      assertEquals(
          quantization == VectorIndexOptions.Quantization.NONE,
          scores.scorerName().contains("MemorySegment"),
          scores.scorerName());
      assertScoresAsLuceneCompares(selection.access(), values);
    }
  }

  private void assertScoresAsLuceneCompares(VectorAccess access, FloatVectorValues values)
      throws Exception {
    float[] query = vectors[N];
    FloatScores scores = FloatScores.of(access, values, query);
    int[] ords = new int[N];
    for (int i = 0; i < N; i++) {
      ords[i] = (i * 7) % N;
    }
    float[] all = new float[N];
    scores.score(ords, 0, N, all);
    for (int i = 0; i < N; i++) {
      float compared = IndexSchema.SIMILARITY.compare(query, vectors[ords[i]]);
      assertEquals(compared, all[i], 1e-5f, "ord " + ords[i]);
    }
    // a vector's score does not depend on its batch (alone, at an offset, in an odd-sized batch)
    // beyond float rounding: the vector API may add lanes in another order before the JIT compiles
    // the kernel than after (a run saw 0.64150214 against 0.6415022)
    for (int i = 0; i < N; i += 37) {
      float[] alone = new float[1];
      FloatScores.of(access, values, query).score(ords, i, i + 1, new float[N]);
      FloatScores.of(access, values, query).score(new int[] {ords[i]}, 0, 1, alone);
      assertEquals(all[i], alone[0], 1e-6f, "ord " + ords[i] + " alone");
    }
    float[] shifted = new float[N];
    scores.score(ords, 3, N - 2, shifted);
    for (int i = 3; i < N - 2; i++) {
      assertEquals(all[i], shifted[i], 1e-6f, "ord " + ords[i] + " at an offset");
    }
    assertEquals(0f, shifted[0]);
  }

  @Test
  void refusesAQueryOfAnotherDimension() throws Exception {
    try (DirectoryReader reader = index(VectorIndexOptions.Quantization.NONE)) {
      FloatVectorValues values =
          reader.leaves().get(0).reader().getFloatVectorValues(IndexSchema.VECTOR);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> FloatScores.of(VectorAccess.PUBLIC, values, new float[DIMENSION - 1]));
      assertTrue(e.getMessage().contains("1029"), e.getMessage());
    }
  }
}
