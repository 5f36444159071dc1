package com.fashionsearch.server.cli;

import com.fashionsearch.bench.FilteredKnnBenchmark;
import com.fashionsearch.bench.FilteredKnnBenchmark.Measurement;
import com.fashionsearch.bench.FilteredKnnBenchmark.NamedFilter;
import com.fashionsearch.bench.FilteredKnnBenchmark.Strategy;
import com.fashionsearch.indexer.codec.VectorIndexOptions;
import com.fashionsearch.indexer.codec.VectorIndexOptions.Quantization;
import com.fashionsearch.searcher.LuceneProductSearcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fashion bench query}: filtered k-NN recall and latency at full catalog size, per filter
 * and query strategy, with a peer run on the same vectors in the same run: scikit-learn brute force
 * (unfiltered), or FAISS under the same filters ({@link FaissPeer}).
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Measures filtered k-NN recall and latency on a synthetic catalog of N vectors, against"
          + " scikit-learn brute force on the same vectors.",
      "It builds (or reuses) a deterministic synthetic catalog of N clustered, non-negative"
          + " fc2-like vectors with the dataset's attribute mix, then prints per strategy and"
          + " filter one line:",
      "query strategy=.. filter=.. matching=.. selectivity=.. recall@10=.. p50_ms=.. p99_ms=.."
          + " qps=.. ids_p50_ms=..",
      "It writes the vectors as .fvecs and runs the scikit-learn brute-force peer on them (unless"
          + " --no-peer), then prints the p50 ratio of each line to the peer's.",
      "With --peer faiss it runs FAISS instead, under each filter's own matching rows (exact search"
          + " and HNSW), and prints per strategy and filter one line:",
      "vs-faiss filter=.. selectivity=.. recall@10=.. p50_ms=.. faiss_p50_ms=.."
          + " faiss_method=hnsw|flat faiss_recall=.. ratio=.. items_p50_ms=.. items_ratio=.."
          + " strategy=..",
      "where FAISS's p50 is its best method's at recall@10 >= 0.95, p50_ms is ours for ids and"
          + " scores (as FAISS returns), ratio is FAISS's p50 over it (above 1: we are faster), and"
          + " items_ are the same for the full query, which also loads the 10 products' catalog"
          + " entries."
    })
final class BenchQueryCommand implements Callable<Integer> {
  private static final Pattern PEER_P50 = Pattern.compile("p50_ms=([0-9.]+)");

  /** FAISS's methods count at this recall@10 or more, the product's goal. */
  static final double FAISS_MIN_RECALL = 0.95;

  @Option(
      names = "--n",
      defaultValue = "44000",
      description = "Products (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--dim",
      defaultValue = "4096",
      description = "Dimension (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--queries",
      defaultValue = "200",
      description = "Queries measured per line (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(
      names = "--warmup",
      defaultValue = "300",
      description =
          "Unmeasured queries per strategy and filter, run once for all lines before the first and"
              + " again before each (default: ${DEFAULT-VALUE}; 50 left the first lines measuring"
              + " the JIT).")
  int warmup;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of vectors and attributes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--filters",
      split = ";",
      paramLabel = "FILTER",
      description =
          "Filters, ';'-separated: 'none' or attribute=value,... (also yearFrom=, yearTo=)."
              + " Default: 14 from 100%% to ~0.1%%.")
  List<String> filters;

  @Option(
      names = "--strategies",
      split = ";",
      paramLabel = "NAME=SETTING=VALUE,...",
      description =
          "Query strategies, ';'-separated, each NAME=SETTINGS: the name is everything before the"
              + " first '=', the settings are name=value pairs, ','-separated, from minCandidates,"
              + " filteredSearchThreshold, exactBelow, oversample, scanBelowPercent,"
              + " scanBlocksBelowPercent, walkPatience (those not given keep the searcher's"
              + " defaults), or 'default'. Example:"
              + " \"k100=minCandidates=100,scanBelowPercent=0;dflt=default\". oversample and the"
              + " scan percentages apply to quantized indexes; walkPatience stops a graph walk"
              + " (unfiltered, or under a filter of 45%% or more) once more than that many"
              + " candidates in a row add under 0.5%% new results (0: never). The older positional"
              + " form"
              + " NAME=MIN_CANDIDATES,THRESHOLD,EXACT_BELOW[,OVERSAMPLE,SCAN_BELOW_PERCENT[,SCAN_BLOCKS_BELOW_PERCENT[,WALK_PATIENCE[,CLUSTER_CANDIDATES]]]]"
              + " is still read (absent numbers: oversample 1, the others 0), and is deprecated."
              + " Default: the searcher's default, Lucene's filtered-search strategy, the walk"
              + " alone, a scan below 50%% with 2x candidates.")
  List<String> strategies;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where the index and .fvecs go, reused across runs (default: a folder in the temp dir).")
  Path workDir;

  @Option(
      names = "--peer",
      paramLabel = "PEER",
      defaultValue = "sklearn",
      description =
          "The peer: sklearn (../shared/bench/sklearn_knn.py, unfiltered brute force), faiss"
              + " (--faiss-script, exact and HNSW search under each filter), or the path of a"
              + " brute-force script taking sklearn_knn.py's arguments (default:"
              + " ${DEFAULT-VALUE}).")
  String peer;

  @Option(
      names = "--faiss-script",
      paramLabel = "SCRIPT",
      defaultValue = "../shared/bench/faiss_knn.py",
      description = "The FAISS peer's script (default: ${DEFAULT-VALUE}).")
  Path faissScript;

  @Option(
      names = "--faiss-index-cache",
      paramLabel = "FILE",
      description =
          "Where the FAISS peer keeps its HNSW index between runs, its build taking minutes"
              + " (default: faiss-hnsw-m16-efc100.index in the work folder's catalog folder).")
  Path faissIndexCache;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "Python for the peer (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--no-peer", description = "Do not run the peer.")
  boolean noPeer;

  @Option(
      names = "--quantization",
      defaultValue = "none",
      description =
          "Vectors in the graph: none, int8, int4 or bbq, as fashion reindex --quantization"
              + " (default: ${DEFAULT-VALUE}).")
  String quantization;

  @Option(
      names = "--force-merge",
      description = "Merge the index into one segment before querying.")
  boolean forceMerge;

  @Option(
      names = "--search-threads",
      paramLabel = "N",
      defaultValue = "" + LuceneProductSearcher.DEFAULT_THREADS,
      description =
          "Threads per query: segments walked at once, ranges of a quantized scan (default:"
              + " ${DEFAULT-VALUE}, as fashion serve).")
  int searchThreads;

  @Override
  public Integer call() throws Exception {
    List<NamedFilter> namedFilters =
        filters == null
            ? FilteredKnnBenchmark.defaultFilters()
            : filters.stream().map(FilteredKnnBenchmark::parseFilter).toList();
    List<Strategy> namedStrategies =
        strategies == null
            ? FilteredKnnBenchmark.defaultStrategies(n)
            : strategies.stream().map(FilteredKnnBenchmark::parseStrategy).toList();
    Path dir =
        workDir != null
            ? workDir
            : Path.of(System.getProperty("java.io.tmpdir"), "fashion-bench-query");
    FilteredKnnBenchmark.Report report =
        new FilteredKnnBenchmark(n, dim, queries, warmup, seed, System.out, System.err)
            .forceMerge(forceMerge)
            .threads(searchThreads)
            .indexOptions(
                new VectorIndexOptions(
                    VectorIndexOptions.DEFAULT.maxConn(),
                    VectorIndexOptions.DEFAULT.beamWidth(),
                    Quantization.parse(quantization)))
            .run(dir, namedFilters, namedStrategies);
    if (noPeer) {
      return 0;
    }
    if (peer.equals("faiss")) {
      return runFaiss(report);
    }
    Path script =
        peer.equals("sklearn") ? Path.of("../shared/bench/sklearn_knn.py") : Path.of(peer);
    if (!Files.isRegularFile(script)) {
      System.err.println(
          "peer not run: no "
              + script.toAbsolutePath()
              + " (use --peer sklearn|faiss|SCRIPT or --no-peer)");
      return 0;
    }
    String peerLine = runPeer(script, report.dataDir());
    System.out.println("peer " + peerLine);
    Matcher m = PEER_P50.matcher(peerLine);
    if (m.find()) {
      double peerP50 = Double.parseDouble(m.group(1));
      for (Measurement r : report.measurements()) {
        System.out.printf(
            Locale.ROOT,
            "ratio strategy=%s filter=%s selectivity=%.4f recall@10=%.3f p50_ms=%.2f"
                + " peer_p50_ms=%.2f speedup=%.0fx%n",
            r.strategy(),
            r.filter(),
            r.selectivity(),
            r.recall(),
            r.p50Ms(),
            peerP50,
            peerP50 / r.p50Ms());
      }
    }
    return 0;
  }

  /**
   * Runs FAISS under the benchmark's filters and prints a {@code vs-faiss} line per measurement.
   */
  private int runFaiss(FilteredKnnBenchmark.Report report)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(faissScript)) {
      System.err.println(
          "peer not run: no "
              + faissScript.toAbsolutePath()
              + " (use --faiss-script or --no-peer)");
      return 0;
    }
    Path filtersFile = report.dataDir().resolve("faiss-filters.txt");
    FaissPeer.writeFilters(filtersFile, report.matchingRows());
    Path cache =
        faissIndexCache != null
            ? faissIndexCache
            : report.dataDir().resolve("faiss-hnsw-m16-efc100.index");
    System.err.println(
        "running the peer: "
            + python
            + " "
            + faissScript
            + " under "
            + report.matchingRows().size()
            + " filters ("
            + (Files.isRegularFile(cache)
                ? "HNSW index from " + cache
                : "builds its HNSW index first, several minutes, kept in " + cache)
            + ")...");
    List<FaissPeer.Line> lines =
        FaissPeer.run(
            python,
            faissScript,
            report.dataDir().resolve("base.fvecs"),
            report.dataDir().resolve("queries.fvecs"),
            filtersFile,
            cache,
            FAISS_MIN_RECALL,
            System.out);
    Map<String, FaissPeer.Best> best = FaissPeer.best(lines, FAISS_MIN_RECALL);
    for (Measurement r : report.measurements()) {
      System.out.println(FaissPeer.versus(r, best.get(r.filter())));
    }
    return 0;
  }

  private String runPeer(Path peer, Path dataDir) throws IOException, InterruptedException {
    System.err.println(
        "running the peer: " + python + " " + peer + " (brute force, one query at a time)...");
    Process p =
        new ProcessBuilder(
                python,
                peer.toString(),
                dataDir.resolve("base.fvecs").toString(),
                dataDir.resolve("queries.fvecs").toString(),
                "--k",
                "10",
                "--metric",
                "cosine")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String last = "";
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        last = line;
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("the peer " + peer + " exited with " + code);
    }
    return last;
  }
}
