package com.fashionsearch.models.mobilenet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a MobileNet file on this machine, or downloads it from its public source and checks its
 * SHA-256. Looked up, in order: the folder in system property {@code fashion.models}, in
 * environment variable {@code FASHION_MODELS}, {@code models} under system property {@code
 * fashion.shared} (set by the build for tests), {@code ../shared/models} relative to the working
 * directory and each folder above it, then relative to this code's jar or classes folder and each
 * folder above it (so a checkout beside {@code shared/} finds it from anywhere), and the download
 * cache {@code ~/.fashion/models}. Thread-safe (stateless).
 */
public final class MobileNetFiles {
  private static final Logger LOG = LoggerFactory.getLogger(MobileNetFiles.class);

  private MobileNetFiles() {}

  /** The folders searched, in order, that exist. */
  public static List<Path> searchPath() {
    List<Path> dirs = new ArrayList<>();
    String prop = System.getProperty("fashion.models");
    if (prop != null && !prop.isBlank()) {
      dirs.add(Path.of(prop));
    }
    String env = System.getenv("FASHION_MODELS");
    if (env != null && !env.isBlank()) {
      dirs.add(Path.of(env));
    }
    String shared = System.getProperty("fashion.shared");
    if (shared != null && !shared.isBlank()) {
      dirs.add(Path.of(shared, "models"));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      dirs.add(p.resolve("../shared/models").normalize());
    }
    Path code = codeLocation();
    for (Path p = code; p != null; p = p.getParent()) {
      dirs.add(p.resolve("../shared/models").normalize());
    }
    dirs.add(cacheDir());
    return dirs.stream().filter(Files::isDirectory).distinct().toList();
  }

  /** The jar or classes folder of this class (inside the repository when run from a build). */
  private static Path codeLocation() {
    try {
      java.security.CodeSource source = MobileNetFiles.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The download cache, {@code ~/.fashion/models}. */
  public static Path cacheDir() {
    return Path.of(System.getProperty("user.home"), ".fashion", "models");
  }

  /** The file of {@code variant} if one is at hand (no download, no checksum), else empty. */
  public static Optional<Path> find(MobileNetVariant variant) {
    return find(variant.fileName());
  }

  /**
   * The file at {@code relativePath} (such as {@code inception_v3_nsfwjs/model.json}) in the first
   * folder of {@link #searchPath()} that has it, else empty.
   */
  public static Optional<Path> find(String relativePath) {
    for (Path dir : searchPath()) {
      Path file = dir.resolve(relativePath);
      if (Files.isRegularFile(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  /**
   * The file of {@code variant}: one at hand, else downloaded from {@link
   * MobileNetVariant#source()} into {@link #cacheDir()}, checked against its SHA-256 (variants
   * without a known source must be at hand).
   *
   * @throws IllegalStateException when it is not at hand and the download fails or does not match
   *     (the message says where it looked and how to give the file)
   */
  public static Path findOrDownload(MobileNetVariant variant) {
    Optional<Path> found = find(variant);
    if (found.isPresent()) {
      return found.get();
    }
    if (variant.source().isEmpty()) {
      throw new IllegalStateException(
          "cannot get "
              + variant.fileName()
              + ": not in "
              + searchPath()
              + " and no public download"
              + " of "
              + variant.modelId()
              + " is known: put the file (SHA-256 "
              + variant.sha256()
              + ") in one of those folders, or set -Dfashion.models or FASHION_MODELS to its"
              + " folder, or give its path with --weights");
    }
    URI source = variant.source().get();
    Path target = cacheDir().resolve(variant.fileName());
    LOG.info("{} not found in {}; downloading {}", variant.fileName(), searchPath(), source);
    try {
      download(source, variant.sha256(), target);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot get "
              + variant.fileName()
              + ": not in "
              + searchPath()
              + " (set -Dfashion.models or"
              + " FASHION_MODELS to its folder) and the download from "
              + source
              + " failed: "
              + e,
          e);
    }
    return target;
  }

  /**
   * Downloads {@code source} to {@code target} through a temporary file, moved into place only when
   * its SHA-256 is {@code expectedSha256}.
   *
   * @throws IOException on a network error, a non-200 answer or a checksum mismatch (the temporary
   *     file is deleted)
   */
  public static void download(URI source, String expectedSha256, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp =
        Files.createTempFile(
            target.toAbsolutePath().getParent(), target.getFileName() + ".", ".part");
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(20))
              .build();
      HttpResponse<Path> response =
          client.send(
              HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(5)).GET().build(),
              HttpResponse.BodyHandlers.ofFile(tmp));
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from " + source);
      }
      String actual = sha256(tmp);
      if (!actual.equals(expectedSha256)) {
        throw new IOException(
            "checksum mismatch for "
                + source
                + ": expected SHA-256 "
                + expectedSha256
                + ", got "
                + actual);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + source, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The lower-case hex SHA-256 of a file. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
