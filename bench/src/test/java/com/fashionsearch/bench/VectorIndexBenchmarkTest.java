package com.fashionsearch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.indexer.codec.VectorIndexOptions.Quantization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorIndexBenchmarkTest {
  @TempDir Path dir;

  @Test
  void printsOneMachineReadableLinePerOptionSetWithMeasuredRecall() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new VectorIndexBenchmark(500, 64, 20, 50, new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(dir, VectorIndexOptions.DEFAULT, new VectorIndexOptions(8, 50, Quantization.INT8));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertEquals(2, lines.length);
    Pattern p =
        Pattern.compile(
            "index options=(\\S+) n=500 dim=64 candidates=50 build_s=\\S+ size_mb=(\\S+)"
                + " recall@10=(\\S+) p50_ms=\\S+ p99_ms=\\S+");
    Matcher first = p.matcher(lines[0]);
    assertTrue(first.matches(), lines[0]);
    assertEquals("hnsw(m=16,beam=100,none)", first.group(1));
    assertTrue(
        Double.parseDouble(first.group(3)) >= 0.9,
        "float HNSW over 500 vectors is nearly exact: " + lines[0]);
    assertTrue(
        Double.parseDouble(first.group(2)) >= 0.12,
        "500 x 64 floats alone take 0.128 MB: " + lines[0]);
    assertTrue(p.matcher(lines[1]).matches(), lines[1]);
  }

  @Test
  void syntheticVectorsAreDeterministicNonNegativeAndUnitLength() {
    float[][] a = SyntheticVectors.clustered(50, 128, 5, 1);
    float[][] b = SyntheticVectors.clustered(50, 128, 5, 1);
    for (int i = 0; i < a.length; i++) {
      double sum = 0;
      for (int d = 0; d < a[i].length; d++) {
        assertTrue(a[i][d] >= 0);
        assertEquals(a[i][d], b[i][d]);
        sum += a[i][d] * a[i][d];
      }
      assertEquals(1.0, sum, 1e-4);
    }
  }
}
