package com.fashionsearch.server;

import com.fashionsearch.models.ImageDecoder;
import com.fashionsearch.models.ImageRejectedException;
import com.fashionsearch.searcher.CatalogItem;
import com.fashionsearch.searcher.IndexInfo;
import com.fashionsearch.searcher.ProductSearcher;
import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import com.fashionsearch.searcher.SearchResults;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The API's handlers, over a {@link ProductSearcher} only. Thread-safe (holds immutable state and
 * the thread-safe searcher).
 */
final class ApiRoutes {
  private static final Set<String> SEARCH_PARAMS;

  static {
    Set<String> params = new LinkedHashSet<>(RequestParams.FILTERS_AND_PAGE);
    params.add("text");
    params.add("image");
    SEARCH_PARAMS = java.util.Collections.unmodifiableSet(params);
  }

  private final ProductSearcher searcher;
  private final ImageFiles images;
  private final long maxUploadBytes;
  private final HttpMetrics metrics;
  private final ServedIndex served;
  private final UploadBudget uploads;

  ApiRoutes(ProductSearcher searcher, ServerConfig config, HttpMetrics metrics) {
    this(searcher, config, metrics, new UploadBudget(config.limits()));
  }

  ApiRoutes(
      ProductSearcher searcher, ServerConfig config, HttpMetrics metrics, UploadBudget uploads) {
    this.uploads = uploads;
    this.searcher = searcher;
    this.images = new ImageFiles(config.imagesDir());
    this.maxUploadBytes = config.maxUploadBytes();
    this.metrics = metrics;
    this.served = config.index();
  }

  void register(Javalin app) {
    app.get("/api/items", this::browse);
    app.get("/api/items/{id}", this::item);
    app.get("/api/items/{id}/similar", this::similar);
    app.post("/api/search", this::search);
    app.get("/api/facets", this::facets);
    app.get("/images/{id}", this::image);
    app.get("/health", this::health);
    app.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    app.get("/openapi.json", this::openapi);
  }

  private void item(Context ctx) {
    RequestParams.rejectUnknown(ctx, Set.of());
    String id = RequestParams.productId(ctx);
    CatalogItem item =
        searcher.item(id).orElseThrow(() -> new ApiException(404, "unknown product id: " + id));
    ObjectNode body = ResultJson.MAPPER.createObjectNode();
    body.set("item", ResultJson.item(item));
    IndexInfo info = searcher.info();
    body.set("index", ResultJson.index(info));
    json(ctx, body);
  }

  private void browse(Context ctx) {
    RequestParams.rejectUnknown(ctx, RequestParams.FILTERS_K_OFFSET);
    SearchFilters filters = RequestParams.filters(ctx);
    SearchOptions options = RequestParams.options(ctx);
    long start = System.nanoTime();
    SearchResults results = searcher.browse(filters, options);
    json(ctx, ResultJson.results(results, (System.nanoTime() - start) / 1e6));
  }

  private void similar(Context ctx) {
    RequestParams.rejectUnknown(ctx, RequestParams.FILTERS_AND_PAGE);
    String id = RequestParams.productId(ctx);
    SearchFilters filters = RequestParams.filters(ctx);
    SearchOptions options = RequestParams.options(ctx);
    long start = System.nanoTime();
    SearchResults results = searcher.similarToItem(id, filters, options);
    json(ctx, ResultJson.results(results, (System.nanoTime() - start) / 1e6));
  }

  private void search(Context ctx) throws IOException {
    if (!RequestParams.isMultipart(ctx)) {
      throw new ApiException(
          415,
          "POST /api/search takes multipart/form-data with an 'image' part, got content type: "
              + ctx.contentType());
    }
    if (ctx.contentLength() > maxUploadBytes + 64 * 1024) {
      throw new ApiException(
          413,
          "upload of "
              + ctx.contentLength()
              + " bytes exceeds the limit of "
              + maxUploadBytes
              + " bytes");
    }
    // admitted before the body is read: a full queue costs the server no upload bytes
    try (UploadBudget.Ticket ticket = uploads.admit()) {
      searchAdmitted(ctx, ticket);
    }
  }

  private void searchAdmitted(Context ctx, UploadBudget.Ticket ticket) throws IOException {
    RequestParams.rejectUnknown(ctx, SEARCH_PARAMS);
    UploadedFile upload = ctx.uploadedFile("image");
    String text = ctx.formParam("text");
    if (text == null) {
      text = ctx.queryParam("text");
    }
    boolean hasText = text != null && !text.isBlank();
    if (upload == null && !hasText) {
      throw new ApiException(
          400, "POST /api/search needs an 'image' file part, a 'text' field, or both");
    }
    SearchFilters filters = RequestParams.filters(ctx);
    SearchOptions options = RequestParams.options(ctx);
    long start = System.nanoTime();
    SearchResults results;
    if (upload == null) {
      results = searcher.byText(text, filters, options);
    } else {
      byte[] bytes = uploadBytes(upload);
      String name = uploadName(upload);
      // the header gives the decoded size before any pixel is decoded; a bomb is refused here
      ImageDecoder.Header header = header(bytes, name);
      ticket.reserve(
          (long) header.width() * header.height(),
          header.decodedPixels(ImageDecoder.DEFAULT_MIN_SIDE));
      BufferedImage image = decode(bytes, name);
      results =
          hasText
              ? searcher.hybrid(image, text, filters, options)
              : searcher.similarToImage(image, filters, options);
    }
    json(ctx, ResultJson.results(results, (System.nanoTime() - start) / 1e6));
  }

  private static String uploadName(UploadedFile upload) {
    return upload.filename() == null || upload.filename().isBlank() ? "upload" : upload.filename();
  }

  private byte[] uploadBytes(UploadedFile upload) throws IOException {
    String name = uploadName(upload);
    if (upload.size() > maxUploadBytes) {
      throw new ApiException(
          413,
          "image '"
              + name
              + "' has "
              + upload.size()
              + " bytes, over the limit of "
              + maxUploadBytes);
    }
    byte[] bytes;
    try (InputStream in = upload.content()) {
      bytes = in.readNBytes((int) maxUploadBytes + 1);
    }
    if (bytes.length > maxUploadBytes) {
      throw new ApiException(
          413, "image '" + name + "' exceeds the upload limit of " + maxUploadBytes + " bytes");
    }
    return bytes;
  }

  private static ImageDecoder.Header header(byte[] bytes, String name) {
    try {
      return ImageDecoder.header(bytes, name);
    } catch (ImageRejectedException e) {
      throw rejected(e);
    }
  }

  private static BufferedImage decode(byte[] bytes, String name) {
    try {
      return ImageDecoder.decode(bytes, name, ImageDecoder.DEFAULT_MIN_SIDE);
    } catch (ImageRejectedException e) {
      throw rejected(e);
    }
  }

  private static ApiException rejected(ImageRejectedException e) {
    int status =
        ImageDecoder.TOO_LARGE.equals(e.reason())
            ? 413
            : ImageDecoder.NOT_AN_IMAGE.equals(e.reason()) ? 415 : 400;
    return new ApiException(status, "image rejected (" + e.reason() + "): " + e.getMessage());
  }

  private void facets(Context ctx) {
    RequestParams.rejectUnknown(ctx, RequestParams.FILTERS);
    SearchFilters filters = RequestParams.filters(ctx);
    json(ctx, ResultJson.facets(searcher.disjunctiveFacets(filters), searcher.info()));
  }

  private void image(Context ctx) throws IOException {
    RequestParams.rejectUnknown(ctx, Set.of());
    String id = RequestParams.productId(ctx);
    CatalogItem item =
        searcher.item(id).orElseThrow(() -> new ApiException(404, "unknown product id: " + id));
    Path file = images.resolve(searcher.info(), item);
    ctx.contentType(ImageFiles.contentType(file));
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.result(Files.readAllBytes(file));
  }

  private void health(Context ctx) {
    IndexInfo info = searcher.info();
    ObjectNode body = ResultJson.MAPPER.createObjectNode();
    body.put("status", "ok");
    ObjectNode backend = body.putObject("backend");
    backend.put("name", served.backend());
    backend.put("location", served.location());
    served.collection().ifPresent(c -> backend.put("collection", c));
    body.set("index", ResultJson.index(info));
    if (!info.pretrained()) {
      body.put("warning", info.untrainedWarning());
    }
    json(ctx, body);
  }

  private void openapi(Context ctx) throws IOException {
    try (InputStream in = ApiRoutes.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server jar");
      }
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  private static void json(Context ctx, ObjectNode body) {
    ctx.contentType("application/json").result(body.toString());
  }
}
