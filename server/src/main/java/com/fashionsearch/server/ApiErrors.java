package com.fashionsearch.server;

import com.fashionsearch.searcher.UnknownProductException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become responses, all of one shape: {@code
 * {"error":{"status":..,"message":..}}}. Bad input is a 4xx naming the bad value; anything else is
 * a 500 with a generic message, logged in full. Stateless, thread-safe.
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** Registers the mapping on {@code app}. */
  static void register(Javalin app) {
    app.exception(ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.getMessage()));
    app.exception(
        ServerBusyException.class,
        (e, ctx) -> {
          ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
          respond(ctx, 429, e.getMessage());
        });
    app.exception(UnknownProductException.class, (e, ctx) -> respond(ctx, 404, e.getMessage()));
    app.exception(
        ValidationException.class, (e, ctx) -> respond(ctx, 400, describe(e.getErrors())));
    app.exception(IllegalArgumentException.class, (e, ctx) -> respond(ctx, 400, e.getMessage()));
    app.exception(
        HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          if (isUploadTooLarge(e)) {
            respond(ctx, 413, "upload too large: " + e.getMessage());
            return;
          }
          LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
          respond(
              ctx,
              500,
              "internal error: " + e.getClass().getSimpleName() + " (logged on the server)");
        });
    app.error(
        404,
        ctx -> {
          String body = ctx.result();
          if (body == null || !body.startsWith("{\"error\"")) {
            respond(ctx, 404, "no such resource: " + ctx.method() + " " + ctx.path());
          }
        });
    app.error(
        405, ctx -> respond(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));
  }

  /** The error body alone, for errors answered outside Javalin (Jetty's own 4xx). */
  static String body(int status, String message) {
    ObjectNode body = ResultJson.MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("status", status);
    error.put("message", message == null ? "error" : message);
    return body.toString();
  }

  /** Writes the error body. */
  static void respond(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json").result(body(status, message));
  }

  private static String describe(Map<String, List<ValidationError<Object>>> errors) {
    List<String> parts = new ArrayList<>();
    errors.forEach(
        (param, list) ->
            list.forEach(
                err ->
                    parts.add(
                        "invalid parameter "
                            + param
                            + "="
                            + err.getValue()
                            + ": "
                            + readable(err.getMessage()))));
    return String.join("; ", parts);
  }

  private static String readable(String message) {
    return switch (message) {
      case "TYPE_CONVERSION_FAILED" -> "not a number";
      case "NULLCHECK_FAILED" -> "missing";
      default -> message;
    };
  }

  private static boolean isUploadTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("exceeds max")
              || m.contains("maxRequestSize")
              || m.contains("max file size"))) {
        return true;
      }
    }
    return false;
  }
}
