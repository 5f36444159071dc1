package com.fashionsearch.server;

import com.fashionsearch.searcher.QueryBatching;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link FashionServer} runs. Immutable and thread-safe.
 *
 * @param index what is served: a local index folder (generations and {@code CURRENT}) or a
 *     SolrCloud collection
 * @param host the address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port, 0 for any free one
 * @param maxUploadBytes the largest image upload accepted; a larger one gets 413
 * @param reloadInterval how often {@code CURRENT} is checked for a new generation
 * @param imagesDir where product images are; empty: {@code images/} under the catalog the index was
 *     built from
 * @param weights the weights spec of the query image embedder; empty: the index's own weights
 * @param limits the bounds on concurrent uploads and on connections
 * @param queryBatching how concurrent uploads share the query embedder's forward passes
 */
public record ServerConfig(
    ServedIndex index,
    String host,
    int port,
    long maxUploadBytes,
    Duration reloadInterval,
    Optional<Path> imagesDir,
    Optional<String> weights,
    ServerLimits limits,
    QueryBatching queryBatching) {

  /** The default port. */
  public static final int DEFAULT_PORT = 7070;

  /** The default upload limit: 10 MiB. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;

  public ServerConfig {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    Objects.requireNonNull(imagesDir, "imagesDir");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(queryBatching, "queryBatching");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got: " + port);
    }
    if (maxUploadBytes < 1024) {
      throw new IllegalArgumentException(
          "maxUploadBytes must be at least 1024, got: " + maxUploadBytes);
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("reloadInterval must be positive, got: " + reloadInterval);
    }
  }

  /**
   * Defaults for the local index in {@code index}: all interfaces, port 7070, 10 MiB uploads,
   * reload check every second.
   */
  public static ServerConfig forIndex(Path index) {
    return forIndex(ServedIndex.lucene(index));
  }

  /** The same defaults for any served index (a SolrCloud collection, say). */
  public static ServerConfig forIndex(ServedIndex index) {
    return new ServerConfig(
        index,
        "127.0.0.1",
        DEFAULT_PORT,
        DEFAULT_MAX_UPLOAD_BYTES,
        Duration.ofSeconds(1),
        Optional.empty(),
        Optional.empty(),
        ServerLimits.DEFAULT,
        QueryBatching.NONE);
  }

  /** The same with another port. */
  public ServerConfig withPort(int port) {
    return new ServerConfig(
        index,
        host,
        port,
        maxUploadBytes,
        reloadInterval,
        imagesDir,
        weights,
        limits,
        queryBatching);
  }

  /** The same with another host. */
  public ServerConfig withHost(String host) {
    return new ServerConfig(
        index,
        host,
        port,
        maxUploadBytes,
        reloadInterval,
        imagesDir,
        weights,
        limits,
        queryBatching);
  }

  /** The same with another upload limit. */
  public ServerConfig withMaxUploadBytes(long bytes) {
    return new ServerConfig(
        index, host, port, bytes, reloadInterval, imagesDir, weights, limits, queryBatching);
  }

  /** The same with another reload interval. */
  public ServerConfig withReloadInterval(Duration interval) {
    return new ServerConfig(
        index, host, port, maxUploadBytes, interval, imagesDir, weights, limits, queryBatching);
  }

  /** The same with an explicit images folder. */
  public ServerConfig withImagesDir(Path dir) {
    return new ServerConfig(
        index,
        host,
        port,
        maxUploadBytes,
        reloadInterval,
        Optional.of(dir),
        weights,
        limits,
        queryBatching);
  }

  /** The same with explicit query embedder weights ({@code zoo}, {@code random:SEED} or a file). */
  public ServerConfig withWeights(String spec) {
    return new ServerConfig(
        index,
        host,
        port,
        maxUploadBytes,
        reloadInterval,
        imagesDir,
        Optional.of(spec),
        limits,
        queryBatching);
  }

  /** The same with other upload and connection limits. */
  public ServerConfig withLimits(ServerLimits newLimits) {
    return new ServerConfig(
        index,
        host,
        port,
        maxUploadBytes,
        reloadInterval,
        imagesDir,
        weights,
        newLimits,
        queryBatching);
  }

  /** The same with another sharing of the query embedder among concurrent uploads. */
  public ServerConfig withQueryBatching(QueryBatching batching) {
    return new ServerConfig(
        index, host, port, maxUploadBytes, reloadInterval, imagesDir, weights, limits, batching);
  }
}
