package com.fashionsearch.models.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the files and the checked download, against a local HTTP server (no internet). */
class MobileNetFilesTest {
  private static final byte[] BODY = "not really a model".getBytes(StandardCharsets.UTF_8);
  // sha256 of BODY
  private static final String BODY_SHA = sha(BODY);

  private static String sha(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void findLooksInTheFolderOfTheSystemPropertyFirst(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve(MobileNetVariant.V1.fileName()), BODY);
    String old = System.getProperty("fashion.models");
    System.setProperty("fashion.models", dir.toString());
    try {
      assertEquals(Optional.of(file), MobileNetFiles.find(MobileNetVariant.V1));
      assertEquals(dir, MobileNetFiles.searchPath().get(0));
    } finally {
      if (old == null) {
        System.clearProperty("fashion.models");
      } else {
        System.setProperty("fashion.models", old);
      }
    }
  }

  @Test
  void downloadKeepsTheFileOnlyWhenTheChecksumMatches(@TempDir Path dir) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/model.tflite",
        exchange -> {
          exchange.sendResponseHeaders(200, BODY.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
          }
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/model.tflite");
      Path target = dir.resolve("m.tflite");
      String wrong = "0".repeat(64);
      IOException e =
          assertThrows(IOException.class, () -> MobileNetFiles.download(uri, wrong, target));
      assertTrue(
          e.getMessage().contains("checksum mismatch") && e.getMessage().contains(BODY_SHA),
          e.getMessage());
      assertFalse(Files.exists(target));
      try (var files = Files.list(dir)) {
        assertEquals(0, files.count(), "no partial file left behind");
      }

      MobileNetFiles.download(uri, BODY_SHA, target);
      assertEquals(BODY_SHA, MobileNetFiles.sha256(target));

      URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nothing");
      IOException notFound =
          assertThrows(
              IOException.class,
              () -> MobileNetFiles.download(missing, BODY_SHA, dir.resolve("x.tflite")));
      assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
    } finally {
      server.stop(0);
    }
  }
}
