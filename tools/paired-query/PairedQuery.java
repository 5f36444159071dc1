import com.fashionsearch.searcher.IndexEmbedders;
import com.fashionsearch.searcher.KnnTuning;
import com.fashionsearch.searcher.LuceneProductSearcher;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The p50 and p90 of one filtered query line, on the build whose classes are on the classpath: the
 * same searcher call as {@code fashion bench query} (default tuning, k=10), over the first QUERIES
 * vectors of a benchmark's queries.fvecs, measured on the second of two passes (the first pass's
 * p50, a new process's first queries, is printed too). paired.sh runs it for two builds in
 * alternation, so that both see the same machine.
 *
 * <p>Usage: java -cp BUILD_CLASSPATH PairedQuery.java INDEX_ROOT none|ATTRIBUTE=VALUE[,...] QUERIES QUERIES_FVECS
 * [WARM_UP_QUERIES] (the last: run the searcher's own warm-up first, on builds that have one)
 * (an underscore in a value stands for a space, as in {@code fashion bench query})
 */
public class PairedQuery {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int queries = Integer.parseInt(args[2]);
    float[][] vectors = read(Path.of(args[3]), queries);
    try (LuceneProductSearcher searcher =
        LuceneProductSearcher.open(root, new IndexEmbedders(Optional.empty()), KnnTuning.DEFAULT)) {
      SearchFilters filters = SearchFilters.NONE;
      for (String term : args[1].equals("none") ? new String[0] : args[1].split(",")) {
        String[] attributeValue = term.split("=", 2);
        filters = filters.and(attributeValue[0], attributeValue[1].replace('_', ' '));
      }
      if (args.length > 4) {
        // as fashion serve does before it listens (LuceneProductSearcher.warmUp)
        searcher.warmUp(Integer.parseInt(args[4]), java.time.Duration.ofSeconds(30));
      }
      double[] ms = new double[vectors.length];
      double firstPassP50 = 0;
      for (int pass = 0; pass < 2; pass++) {
        for (int q = 0; q < vectors.length; q++) {
          long start = System.nanoTime();
          searcher.similarToVector(vectors[q], filters, SearchOptions.DEFAULT);
          ms[q] = (System.nanoTime() - start) / 1e6;
        }
        if (pass == 0) {
          double[] first = ms.clone();
          Arrays.sort(first);
          firstPassP50 = first[first.length / 2];
        }
      }
      Arrays.sort(ms);
      System.out.printf("filter=%s queries=%d p50_ms=%.2f p90_ms=%.2f first_pass_p50_ms=%.2f%n",
          args[1], ms.length, ms[ms.length / 2], ms[ms.length * 9 / 10], firstPassP50);
    }
  }

  private static float[][] read(Path fvecs, int max) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(fvecs)).order(ByteOrder.LITTLE_ENDIAN);
    List<float[]> vectors = new ArrayList<>();
    while (in.hasRemaining() && vectors.size() < max) {
      float[] v = new float[in.getInt()];
      in.asFloatBuffer().get(v);
      in.position(in.position() + Float.BYTES * v.length);
      vectors.add(v);
    }
    return vectors.toArray(new float[0][]);
  }
}
