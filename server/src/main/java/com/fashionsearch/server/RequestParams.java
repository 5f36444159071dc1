package com.fashionsearch.server;

import com.fashionsearch.searcher.SearchFilters;
import com.fashionsearch.searcher.SearchOptions;
import io.javalin.http.Context;
import io.javalin.validation.Validator;
import java.util.ArrayList;
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
 * ({@code <attribute>=value}, repeatable, {@code yearFrom}, {@code yearTo}, {@code filter}) and the
 * page ({@code k}, {@code offset}, {@code exact}). A parameter a route does not know is an error
 * that names it. For multipart requests, form fields are read as well as the query string.
 * Stateless, thread-safe.
 */
final class RequestParams {
  /** The filter parameters. */
  static final Set<String> FILTERS;

  /** The page parameters. */
  static final Set<String> PAGE = Set.of("k", "offset", "exact");

  /** The filter parameters and k and offset (a listing, which has no approximate mode). */
  static final Set<String> FILTERS_K_OFFSET;

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
    Set<String> listing = new LinkedHashSet<>(filters);
    listing.addAll(List.of("k", "offset"));
    FILTERS_K_OFFSET = java.util.Collections.unmodifiableSet(listing);
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
          400,
          "unknown parameter: "
              + String.join(", ", unknown)
              + " (known: "
              + String.join(", ", allowed)
              + ")");
    }
  }

  /**
   * The filters of the request. An attribute given several times ({@code gender=Men&gender=Women})
   * takes any of its values; different attributes must all hold. Empty values are ignored. The
   * single-valued parameters ({@code yearFrom}, {@code yearTo}, {@code filter}, {@code k}, {@code
   * offset}, {@code exact}) are refused when repeated.
   */
  static SearchFilters filters(Context ctx) {
    Map<String, List<String>> attributes = new LinkedHashMap<>();
    for (String attribute : SearchFilters.FACET_ATTRIBUTES) {
      List<String> values = params(ctx, attribute).stream().filter(v -> !v.isEmpty()).toList();
      if (!values.isEmpty()) {
        attributes.put(attribute, values);
      }
    }
    Optional<Integer> from = Optional.ofNullable(intParam(ctx, "yearFrom").allowNullable().get());
    Optional<Integer> to = Optional.ofNullable(intParam(ctx, "yearTo").allowNullable().get());
    String filter = param(ctx, "filter");
    return new SearchFilters(attributes, from, to, filter == null ? "" : filter);
  }

  /** The page of the request: k (default 10), offset (default 0), exact (default false). */
  static SearchOptions options(Context ctx) {
    int k =
        intParam(ctx, "k")
            .check(
                v -> v >= 1 && v <= SearchOptions.MAX_K,
                "k must be between 1 and " + SearchOptions.MAX_K)
            .getOrDefault(10);
    int offset =
        intParam(ctx, "offset")
            .check(
                v -> v >= 0 && v <= SearchOptions.MAX_OFFSET,
                "offset must be between 0 and " + SearchOptions.MAX_OFFSET)
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
    return type != null
        && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
  }

  /** Every value of parameter {@code name}: the form's and the query string's. */
  private static List<String> params(Context ctx, String name) {
    List<String> values = new ArrayList<>();
    if (isMultipart(ctx)) {
      values.addAll(ctx.formParams(name));
    }
    values.addAll(ctx.queryParams(name));
    return values;
  }

  /** The one value of a single-valued parameter, or null; refused when given more than once. */
  static String param(Context ctx, String name) {
    List<String> values = params(ctx, name);
    if (values.size() > 1) {
      throw new ApiException(
          400,
          "parameter "
              + name
              + " takes one value, got "
              + values.size()
              + ": "
              + String.join(", ", values));
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static Validator<Integer> intParam(Context ctx, String name) {
    param(ctx, name);
    if (isMultipart(ctx) && ctx.formParam(name) != null) {
      return ctx.formParamAsClass(name, Integer.class);
    }
    return ctx.queryParamAsClass(name, Integer.class);
  }
}
