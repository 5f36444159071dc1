package com.fashionsearch.bench;

import com.fashionsearch.indexer.IndexSchema;
import com.fashionsearch.indexer.SyntheticVectors;
import com.fashionsearch.indexer.codec.FashionCodec;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * What HNSW parameters and quantization do to build time, index size, recall and latency: builds
 * one index per option set over the same synthetic vectors and prints one line each:
 *
 * <pre>
 * index options=hnsw(m=16,beam=100,none) n=.. dim=.. build_s=.. size_mb=.. recall@10=.. p50_ms=.. p99_ms=..
 * </pre>
 *
 * Recall is measured against exact neighbours computed by brute force over the same vectors. Not
 * thread-safe; run one at a time.
 */
public final class VectorIndexBenchmark {
  private final int n;
  private final int dimension;
  private final int queries;
  private final int candidates;
  private final PrintStream out;

  /**
   * @param n vectors indexed
   * @param dimension their dimension
   * @param queries queries measured (after as many warm-up queries)
   * @param candidates HNSW candidates explored per query (Lucene's k, trimmed to 10 after)
   * @param out where the lines go
   */
  public VectorIndexBenchmark(int n, int dimension, int queries, int candidates, PrintStream out) {
    if (n < 10 || queries < 1 || candidates < 10) {
      throw new IllegalArgumentException(
          "need n >= 10, queries >= 1, candidates >= 10; got: "
              + n
              + ", "
              + queries
              + ", "
              + candidates);
    }
    this.n = n;
    this.dimension = dimension;
    this.queries = queries;
    this.candidates = candidates;
    this.out = out;
  }

  /**
   * Runs every option set in {@code dir} (one sub-folder each, deleted after) and prints a line
   * each.
   */
  public void run(Path dir, VectorIndexOptions... optionSets) throws IOException {
    float[][] all =
        SyntheticVectors.clustered(n + 2 * queries, dimension, Math.max(1, n / 100), 42);
    float[][] base = Arrays.copyOfRange(all, 0, n);
    float[][] qs = Arrays.copyOfRange(all, n, n + 2 * queries);
    int[][] truth = new int[qs.length][];
    for (int q = 0; q < qs.length; q++) {
      truth[q] = exactTop10(base, qs[q]);
    }
    for (VectorIndexOptions options : optionSets) {
      Path indexDir = dir.resolve(options.describe().replaceAll("[^A-Za-z0-9]", "_"));
      long start = System.nanoTime();
      IndexWriterConfig config =
          new IndexWriterConfig().setCodec(new FashionCodec(options)).setRAMBufferSizeMB(2048);
      try (FSDirectory d = FSDirectory.open(indexDir);
          IndexWriter w = new IndexWriter(d, config)) {
        for (int i = 0; i < n; i++) {
          Document doc = new Document();
          doc.add(new StoredField("ord", i));
          doc.add(new KnnFloatVectorField(IndexSchema.VECTOR, base[i], IndexSchema.SIMILARITY));
          w.addDocument(doc);
        }
        w.forceMerge(1);
        w.commit();
      }
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      long bytes = size(indexDir);
      double[] latencies = new double[queries];
      double recall = 0;
      try (FSDirectory d = FSDirectory.open(indexDir);
          DirectoryReader reader = DirectoryReader.open(d)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        int[] ords = new int[reader.maxDoc()];
        for (int doc = 0; doc < ords.length; doc++) {
          ords[doc] = reader.storedFields().document(doc).getField("ord").numericValue().intValue();
        }
        for (int q = 0; q < qs.length; q++) {
          long t = System.nanoTime();
          TopDocs top =
              searcher.search(new KnnFloatVectorQuery(IndexSchema.VECTOR, qs[q], candidates), 10);
          double ms = (System.nanoTime() - t) / 1e6;
          if (q >= queries) { // the first half warms up
            latencies[q - queries] = ms;
            recall += overlap(truth[q], top.scoreDocs, ords) / 10.0;
          }
        }
      }
      Arrays.sort(latencies);
      out.printf(
          Locale.ROOT,
          "index options=%s n=%d dim=%d candidates=%d build_s=%.2f size_mb=%.2f recall@10=%.3f"
              + " p50_ms=%.2f p99_ms=%.2f%n",
          options.describe(),
          n,
          dimension,
          candidates,
          buildSeconds,
          bytes / 1e6,
          recall / queries,
          latencies[queries / 2],
          latencies[Math.max(0, (int) Math.ceil(queries * 0.99) - 1)]);
      deleteRecursively(indexDir);
    }
  }

  private static int[] exactTop10(float[][] base, float[] q) {
    PriorityQueue<float[]> heap = new PriorityQueue<>((a, b) -> Float.compare(a[0], b[0]));
    for (int i = 0; i < base.length; i++) {
      float dot = 0;
      float[] v = base[i];
      for (int d = 0; d < v.length; d++) {
        dot += v[d] * q[d];
      }
      if (heap.size() < 10) {
        heap.add(new float[] {dot, i});
      } else if (dot > heap.peek()[0]) {
        heap.poll();
        heap.add(new float[] {dot, i});
      }
    }
    return heap.stream().mapToInt(e -> (int) e[1]).toArray();
  }

  private static int overlap(int[] truth, ScoreDoc[] found, int[] ords) {
    int hits = 0;
    for (ScoreDoc sd : found) {
      int ord = ords[sd.doc];
      for (int t : truth) {
        if (t == ord) {
          hits++;
          break;
        }
      }
    }
    return hits;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
