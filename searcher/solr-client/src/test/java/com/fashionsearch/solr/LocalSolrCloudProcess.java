package com.fashionsearch.solr;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code fashion-solr-cluster} module's {@code LocalSolrCloud} in a child JVM (Solr's
 * Lucene 9 cannot share this JVM's classpath with the product's Lucene 10) and reads back its
 * addresses; or its {@code LocalSolrNode}, one more node of a running cluster in a JVM of its own.
 * Closing it closes the child's stdin, which stops the cluster; {@link #kill()} kills the child
 * instead. Not thread-safe.
 */
final class LocalSolrCloudProcess implements AutoCloseable {
  private final Process process;
  private final String zkHost;
  private final List<String> urls;

  private LocalSolrCloudProcess(Process process, String zkHost, List<String> urls) {
    this.process = process;
    this.zkHost = zkHost;
    this.urls = List.copyOf(urls);
  }

  /**
   * Starts a cluster of {@code nodes} nodes with its data under {@code baseDir}; its log goes to
   * {@code baseDir/cluster.log}.
   *
   * @throws IllegalStateException when the cluster module was not built (its classpath file is
   *     missing)
   */
  static LocalSolrCloudProcess start(int nodes, Path baseDir)
      throws IOException, InterruptedException {
    return launch(
        "LocalSolrCloud",
        List.of(Integer.toString(nodes), baseDir.resolve("cluster").toString()),
        baseDir,
        nodes,
        null);
  }

  /**
   * Starts one more node of the cluster whose ZooKeeper is {@code zkHost}, in a JVM of its own,
   * with its data under {@code baseDir}; its log goes to {@code baseDir/cluster.log}.
   */
  static LocalSolrCloudProcess startNode(String zkHost, Path baseDir)
      throws IOException, InterruptedException {
    return launch(
        "LocalSolrNode", List.of(zkHost, baseDir.resolve("node").toString()), baseDir, 1, zkHost);
  }

  private static LocalSolrCloudProcess launch(
      String main, List<String> args, Path baseDir, int nodes, String zkHost)
      throws IOException, InterruptedException {
    Path classpathFile = Path.of(System.getProperty("fashion.solr.cluster.classpath", "missing"));
    Path classes = Path.of(System.getProperty("fashion.solr.cluster.classes", "missing"));
    if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(classes)) {
      throw new IllegalStateException(
          "the Solr test cluster module is not built ("
              + classpathFile
              + ", "
              + classes
              + "): build from the repository root with -am");
    }
    String classpath =
        classes
            + File.pathSeparator
            + Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
    Files.createDirectories(baseDir);
    Path log = baseDir.resolve("cluster.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // 1 GB for the tests' 1,000 products; benchmarks of larger catalogs set
    // fashion.solr.cluster.heap
    command.add("-Xmx" + System.getProperty("fashion.solr.cluster.heap", "1g"));
    // Lucene's SIMD dot products: without them a 4096-d k-NN query scores scalar, several times
    // slower;
    // Lucene 9.12 knows JDKs up to 23 only and must be told that a newer one is fine
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    command.add(
        "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=" + Runtime.version().feature());
    command.add("-cp");
    command.add(classpath);
    command.add("com.fashionsearch.solrcluster." + main);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String zk = zkHost;
    List<String> urls = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("zk=")) {
        zk = line.substring(3);
      } else if (line.startsWith("url=")) {
        urls.add(line.substring(4));
      } else if (line.equals("ready")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    if (zk == null || urls.size() != nodes || line == null || !line.equals("ready")) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the Solr test " + (zkHost == null ? "cluster" : "node") + " did not start; see " + log);
    }
    Thread.ofPlatform().daemon().name("solr-cluster-stdout").start(() -> drain(out));
    return new LocalSolrCloudProcess(process, zk, urls);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discard
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  String zkHost() {
    return zkHost;
  }

  List<String> urls() {
    return urls;
  }

  /** Kills the child at once (SIGKILL): its nodes neither finish requests nor leave ZooKeeper. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "the Solr test process " + process.pid() + " did not die within 30 s");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
