package com.fashionsearch.server;

import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import io.javalin.http.Context;
import io.javalin.validation.Validator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and validates the query parameters the routes share, with Javalin's validators: the filters
 * ({@code <attribute>=value}, {@code yearFrom}, {@code yearTo}, {@code filter}) and the page ({@code
 * k}, {@code offset}, {@code exact}). A parameter a route does not know is an error that names it.
 * For multipart requests, form fields are read as well as the query string. Stateless, thread-safe.
 */
final class RequestParams {
  /** The filter parameters. */
  static final Set<String> FILTERS;

  /** The page parameters. */
  static final Set<String> PAGE = Set.of("k", "offset", "exact");

  /** The filter and page parameters together. */
  static final Set<String> FILTERS_AND_PAGE;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  static {
    Set<String> filters = new LinkedHashSet<>(SearchFilters.FACET_ATTRIBUTES);
    filters.addAll(List.of("yearFrom", "yearTo", "filter"));
    FILTERS = java.util.Collections.unmodifiableSet(filters);
    Set<String> both = new LinkedHashSet<>(filters);
    both.addAll(PAGE);
    FILTERS_AND_PAGE = java.util.Collections.unmodifiableSet(both);
  }

  private RequestParams() {}

  /** Fails with 400 naming every parameter outside {@code allowed}. */
  static void rejectUnknown(Context ctx, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(ctx.queryParamMap().keySet());
    if (isMultipart(ctx)) {
      unknown.addAll(ctx.formParamMap().keySet());
    }
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new ApiException(
          400, "unknown parameter: " + String.join(", ", unknown) + " (known: " + String.join(", ", allowed) + ")");
    }
  }

  /** The filters of the request. */
  static SearchFilters filters(Context ctx) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String attribute : SearchFilters.FACET_ATTRIBUTES) {
      String value = param(ctx, attribute);
      if (value != null && !value.isEmpty()) {
        attributes.put(attribute, value);
      }
    }
    Optional<Integer> from = Optional.ofNullable(intParam(ctx, "yearFrom").allowNullable().get());
    Optional<Integer> to = Optional.ofNullable(intParam(ctx, "yearTo").allowNullable().get());
    String filter = param(ctx, "filter");
    return new SearchFilters(attributes, from, to, filter == null ? "" : filter);
  }

  /** The page of the request: k (default 10), offset (default 0), exact (default false). */
  static SearchOptions options(Context ctx) {
    int k = intParam(ctx, "k")
        .check(v -> v >= 1 && v <= SearchOptions.MAX_K, "k must be between 1 and " + SearchOptions.MAX_K)
        .getOrDefault(10);
    int offset = intParam(ctx, "offset")
        .check(v -> v >= 0 && v <= SearchOptions.MAX_OFFSET, "offset must be between 0 and " + SearchOptions.MAX_OFFSET)
        .getOrDefault(0);
    String exact = param(ctx, "exact");
    if (exact != null && !exact.equals("true") && !exact.equals("false")) {
      throw new ApiException(400, "invalid parameter exact=" + exact + ": must be true or false");
    }
    return new SearchOptions(k, offset, "true".equals(exact));
  }

  /** A product id from the path, refused unless it looks like one. */
  static String productId(Context ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches() || id.contains("..")) {
      throw new ApiException(400, "invalid product id: '" + id + "'");
    }
    return id;
  }

  static boolean isMultipart(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
  }

  private static String param(Context ctx, String name) {
    if (isMultipart(ctx)) {
      String form = ctx.formParam(name);
      if (form != null) {
        return form;
      }
    }
    return ctx.queryParam(name);
  }

  private static Validator<Integer> intParam(Context ctx, String name) {
    if (isMultipart(ctx) && ctx.formParam(name) != null) {
      return ctx.formParamAsClass(name, Integer.class);
    }
    return ctx.queryParamAsClass(name, Integer.class);
  }
}
