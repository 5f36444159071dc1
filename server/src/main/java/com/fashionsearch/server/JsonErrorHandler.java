package com.fashionsearch.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error responses (a request header over the limit: 431, a malformed request line: 400,
 * a body trickled in too slowly: 408) in the API's one error shape, {@code
 * {"error":{"status":..,"message":..}}}, instead of Jetty's HTML page. Stateless, thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    return ByteBuffer.wrap(
        ApiErrors.body(status, describe(status, reason)).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(ApiErrors.body(code, describe(code, message)));
  }

  private static String describe(int status, String reason) {
    String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    return switch (status) {
      case 414 ->
          "the URL is too long (the server takes up to 8 KB): send fewer or shorter parameters ("
              + text
              + ")";
      case 431 -> "request headers too large (" + text + ")";
      case 408 -> "request timed out: the body arrived too slowly (" + text + ")";
      default -> text;
    };
  }
}
