package com.fashionsearch.solr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.util.ContentStreamBase;

/**
 * The project's Solr configset ({@code managed-schema.xml} and {@code solrconfig.xml}, shipped as
 * resources) and its upload through the Configsets API. The schema ships for 4096-d vectors; it is
 * uploaded with the dimension of the embedder that fills the collection. Stateless, thread-safe.
 */
public final class SolrConfigset {
  /** The files of the configset, under {@code configset/conf/} next to this class. */
  static final List<String> FILES = List.of("managed-schema.xml", "solrconfig.xml");

  private static final String SHIPPED_DIMENSION = "vectorDimension=\"4096\"";

  private SolrConfigset() {}

  /** The text of one configset file as shipped. */
  public static String file(String name) {
    try (InputStream in = SolrConfigset.class.getResourceAsStream("configset/conf/" + name)) {
      if (in == null) {
        throw new IllegalStateException("configset file missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configset file " + name, e);
    }
  }

  /** The configset as a zip, its schema set to vectors of {@code dimension}. */
  static byte[] zip(int dimension) {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException(
          "vector dimension must be between 1 and 4096, got: " + dimension);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
      for (String name : FILES) {
        String text = file(name);
        if (name.equals("managed-schema.xml")) {
          if (!text.contains(SHIPPED_DIMENSION)) {
            throw new IllegalStateException("the shipped schema lacks " + SHIPPED_DIMENSION);
          }
          text = text.replace(SHIPPED_DIMENSION, "vectorDimension=\"" + dimension + "\"");
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot zip the configset", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Uploads the configset under {@code name}, replacing one of that name.
   *
   * @param dimension the vector dimension of the collection it will serve
   */
  public static void upload(SolrClient client, String name, int dimension) throws IOException {
    ContentStreamBase.ByteArrayStream stream =
        new ContentStreamBase.ByteArrayStream(zip(dimension), name + ".zip", "application/zip");
    try {
      new ConfigSetAdminRequest.Upload()
          .setConfigSetName(name)
          .setOverwrite(true)
          .setCleanup(true)
          .setUploadStream(stream)
          .process(client);
    } catch (SolrServerException e) {
      throw new IOException("cannot upload configset " + name + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the configset {@code name}; a missing one is not an error. */
  static void delete(SolrClient client, String name) throws IOException {
    try {
      new ConfigSetAdminRequest.Delete().setConfigSetName(name).process(client);
    } catch (SolrServerException | RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("does not exist")) {
        throw new IOException("cannot delete configset " + name + ": " + e.getMessage(), e);
      }
    }
  }
}
