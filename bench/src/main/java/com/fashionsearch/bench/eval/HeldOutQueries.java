package com.fashionsearch.bench.eval;

import com.fashionsearch.data.CatalogColumns;
import com.fashionsearch.indexer.ProgressListener;
import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageEmbedder;
import com.fashionsearch.models.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Held-out queries: rows of a {@code styles.csv}-like file (header with {@code id}, {@code
 * articleType}, {@code subCategory}, {@code masterCategory}) whose images {@code <id>.jpg} sit in a
 * folder, embedded with the index's model. A row without its image or with an image that cannot be
 * decoded is skipped and counted by reason. Stateless; thread-safe.
 */
public final class HeldOutQueries {
  private HeldOutQueries() {}

  /**
   * The embedded queries and the rows skipped, by reason.
   *
   * @param queries the queries, in file order
   * @param skipped skipped rows by reason ({@code no-image}, {@code not-an-image}, ...)
   */
  public record Result(List<SearcherEvaluation.Query> queries, Map<String, Integer> skipped) {}

  /**
   * Reads and embeds the queries.
   *
   * @throws IllegalArgumentException when the file lacks a needed column or cannot be read
   */
  public static Result read(
      Path csv, Path imagesDir, ImageEmbedder embedder, int batch, ProgressListener progress) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got: " + batch);
    }
    List<CSVRecord> rows;
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      rows =
          CSVFormat.DEFAULT
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .setIgnoreEmptyLines(true)
              .get()
              .parse(in)
              .getRecords();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read queries file " + csv + ": " + e.getMessage(), e);
    }
    if (!rows.isEmpty()) {
      for (String column :
          List.of(CatalogColumns.ID, "articleType", "subCategory", "masterCategory")) {
        if (!rows.get(0).isMapped(column)) {
          throw new IllegalArgumentException(
              "queries file " + csv + " has no column '" + column + "'");
        }
      }
    }
    Map<String, Integer> skipped = new TreeMap<>();
    List<SearcherEvaluation.Query> queries = new ArrayList<>();
    List<BufferedImage> images = new ArrayList<>();
    List<CSVRecord> pending = new ArrayList<>();
    progress.start("embedding " + rows.size() + " queries", rows.size());
    try {
      for (CSVRecord row : rows) {
        progress.advance(1);
        if (!row.isSet(CatalogColumns.ID) || !row.isSet("masterCategory")) {
          skipped.merge("short-row", 1, Integer::sum);
          continue;
        }
        Path image = imagesDir.resolve(row.get(CatalogColumns.ID).trim() + ".jpg");
        if (!Files.isRegularFile(image)) {
          skipped.merge("no-image", 1, Integer::sum);
          continue;
        }
        try {
          images.add(ImageDecoder.decode(image));
          pending.add(row);
        } catch (ImageRejectedException e) {
          skipped.merge(e.reason(), 1, Integer::sum);
          continue;
        }
        if (images.size() == batch) {
          flush(embedder, images, pending, queries);
        }
      }
      flush(embedder, images, pending, queries);
    } finally {
      progress.close();
    }
    return new Result(List.copyOf(queries), Map.copyOf(skipped));
  }

  private static void flush(
      ImageEmbedder embedder,
      List<BufferedImage> images,
      List<CSVRecord> rows,
      List<SearcherEvaluation.Query> out) {
    if (images.isEmpty()) {
      return;
    }
    float[][] vectors = embedder.embed(images);
    for (int i = 0; i < vectors.length; i++) {
      CSVRecord r = rows.get(i);
      Map<String, String> labels = new java.util.LinkedHashMap<>();
      r.toMap().forEach((column, value) -> labels.put(column, value == null ? "" : value.trim()));
      out.add(
          new SearcherEvaluation.Query(
              r.get(CatalogColumns.ID).trim(), labels, java.util.Optional.of(vectors[i])));
    }
    images.clear();
    rows.clear();
  }
}
