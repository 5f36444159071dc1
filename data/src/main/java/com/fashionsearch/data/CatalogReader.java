package com.fashionsearch.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a catalog folder in the Fashion Product Images layout: {@code styles.csv} (UTF-8, columns
 * found by header name) and {@code images/<id>.jpg}.
 *
 * <p>Tolerant by default: each quirk of the real file is repaired or skipped, counted by {@link
 * CatalogProblem} in the {@link CatalogReport}, and the read goes on. Unquoted commas in the
 * display name (the last column) are joined back into it; {@code 2012.0} years become {@code 2012};
 * a byte order mark, CRLF line ends and trailing empty fields are accepted; the last row of a
 * duplicated id wins; rows without an image are left out and listed; rows without a usable id or
 * with too few fields are skipped with their line. In strict mode the first problem is a {@link
 * CatalogException}. Fields spanning lines (quoted line breaks) are not supported: the dataset has
 * none, and a file where a record spans lines is parsed again line by line, so that one stray quote
 * cannot swallow the rest of the file.
 *
 * <p>Stateless and thread-safe.
 */
public final class CatalogReader {
  /** The catalog's table, in its folder. */
  public static final String STYLES_FILE = "styles.csv";

  /** The catalog's image folder, in its folder. */
  public static final String IMAGES_DIR = "images";

  private static final CSVFormat LINE_FORMAT =
      CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern YEAR = Pattern.compile("([0-9]{1,4})(\\.0*)?");
  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

  /** A kept row and the line it came from. */
  private record Row(long line, Product product) {}

  /** Where each needed column sits in a row. */
  private record Columns(
      int width, int rawWidth, int idIndex, int nameIndex, Map<String, Integer> attributeIndex) {}

  /**
   * Reads the catalog in {@code dir}.
   *
   * @param dir the catalog folder, holding {@code styles.csv} and {@code images/}
   * @param strict whether the first problem fails the read instead of being counted
   * @throws CatalogException when {@code styles.csv} is missing or unreadable, its header lacks a
   *     required column, or (strict) at the first problem, naming file, line and reason
   */
  public Catalog read(Path dir, boolean strict) {
    Objects.requireNonNull(dir, "dir");
    Path styles = dir.resolve(STYLES_FILE);
    if (!Files.isRegularFile(styles)) {
      throw new CatalogException(
          "no " + STYLES_FILE + " in catalog folder " + dir + " (looked for " + styles + ")");
    }
    List<StylesFile.Line> lines;
    try {
      lines = StylesFile.read(styles);
    } catch (IOException e) {
      throw new CatalogException("cannot read " + styles + ": " + e, e);
    }
    ProblemLog log = new ProblemLog(styles, strict);
    if (lines.isEmpty() || lines.get(0).text().isBlank()) {
      throw new CatalogException(
          styles + " line 1: no header (the file is empty or starts with a blank line)");
    }
    StylesFile.Line headerLine = lines.get(0);
    if (headerLine.invalidUtf8()) {
      log.row(1, CatalogProblem.INVALID_UTF8, "header bytes not valid UTF-8, replaced by U+FFFD");
    }
    Columns columns = columns(styles, fields(headerLine, log));
    List<List<String>> parsed = wholeFile(lines);
    LinkedHashMap<String, Row> rows = new LinkedHashMap<>();
    long rowsRead = 0;
    for (int i = 1; i < lines.size(); i++) {
      StylesFile.Line line = lines.get(i);
      if (line.text().isBlank()) {
        continue;
      }
      rowsRead++;
      List<String> fields = parsed != null ? new ArrayList<>(parsed.get(i)) : fields(line, log);
      Product product = product(line, fields, columns, dir, log);
      if (product == null) {
        continue;
      }
      Row previous = rows.remove(product.id());
      if (previous != null) {
        log.row(
            line.number(),
            CatalogProblem.DUPLICATE_ID,
            "id " + product.id() + " also on line " + previous.line() + "; this later row wins");
      }
      rows.put(product.id(), new Row(line.number(), product));
    }
    List<Product> products = new ArrayList<>(rows.size());
    List<String> missing = new ArrayList<>();
    List<String> orphans = checkImages(dir, rows, products, missing, log);
    return new Catalog(dir, products, new CatalogReport(rowsRead, log.issues(), missing, orphans));
  }

  /** Maps the header's names to indexes; fails naming every required column it lacks. */
  private static Columns columns(Path styles, List<String> header) {
    Map<String, Integer> index = new HashMap<>();
    int width = 0;
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim();
      if (name.isEmpty()) {
        continue;
      }
      if (index.putIfAbsent(name, i) != null) {
        throw new CatalogException(
            styles + " line 1: column '" + name + "' appears twice in the header " + header);
      }
      width = i + 1;
    }
    List<String> lacking = new ArrayList<>();
    if (!index.containsKey(CatalogColumns.ID)) {
      lacking.add(CatalogColumns.ID);
    }
    Map<String, Integer> attributeIndex = new LinkedHashMap<>();
    for (String column : CatalogColumns.ATTRIBUTES) {
      Integer at = index.get(column);
      if (at == null) {
        lacking.add(column);
      } else {
        attributeIndex.put(column, at);
      }
    }
    if (!lacking.isEmpty()) {
      throw new CatalogException(
          styles
              + " line 1: the header lacks required column(s) "
              + lacking
              + "; header: "
              + header);
    }
    return new Columns(
        width,
        header.size(),
        index.get(CatalogColumns.ID),
        index.get(CatalogColumns.DISPLAY_NAME),
        attributeIndex);
  }

  /** One row as a product, repaired where it can be; null (counted) when it cannot be used. */
  private static Product product(
      StylesFile.Line line, List<String> fields, Columns columns, Path dir, ProblemLog log) {
    long n = line.number();
    if (line.invalidUtf8()) {
      log.row(
          n,
          CatalogProblem.INVALID_UTF8,
          "bytes not valid UTF-8, replaced by U+FFFD: " + line.text());
    }
    int parsed = fields.size();
    while (fields.size() > columns.width() && fields.get(fields.size() - 1).isBlank()) {
      fields.remove(fields.size() - 1);
    }
    if (parsed > columns.rawWidth() && fields.size() < parsed) {
      log.row(
          n,
          CatalogProblem.TRAILING_EMPTY_FIELDS,
          (parsed - fields.size())
              + " empty field(s) after the last of "
              + columns.width()
              + " columns, dropped");
    }
    if (fields.size() > columns.width()) {
      int extra = fields.size() - columns.width();
      int at = columns.nameIndex();
      String name = String.join(",", fields.subList(at, at + extra + 1));
      fields.subList(at + 1, at + extra + 1).clear();
      fields.set(at, name);
      log.row(
          n,
          CatalogProblem.NAME_COMMAS_REJOINED,
          (columns.width() + extra)
              + " fields for "
              + columns.width()
              + " columns; "
              + CatalogColumns.DISPLAY_NAME
              + " joined back as '"
              + name.trim()
              + "'");
    }
    if (fields.size() < columns.width()) {
      log.row(
          n,
          CatalogProblem.UNRECOVERABLE_ROW,
          "too few fields: "
              + fields.size()
              + " of "
              + columns.width()
              + ", row skipped: "
              + line.text());
      return null;
    }
    String id = fields.get(columns.idIndex()).trim();
    if (id.isEmpty()) {
      log.row(n, CatalogProblem.UNRECOVERABLE_ROW, "no id, row skipped: " + line.text());
      return null;
    }
    if (!DIGITS.matcher(id).matches()) {
      log.row(n, CatalogProblem.UNRECOVERABLE_ROW, "non-numeric id '" + id + "', row skipped");
      return null;
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> column : columns.attributeIndex().entrySet()) {
      attributes.put(column.getKey(), fields.get(column.getValue()).trim());
    }
    attributes.put(CatalogColumns.YEAR, year(n, id, attributes.get(CatalogColumns.YEAR), log));
    return new Product(id, attributes, dir.resolve(IMAGES_DIR).resolve(id + ".jpg"));
  }

  /**
   * {@code 2012} or {@code 2012.0} as {@code 2012}; empty stays empty; anything else counted,
   * empty.
   */
  private static String year(long line, String id, String value, ProblemLog log) {
    if (value.isEmpty()) {
      return value;
    }
    var m = YEAR.matcher(value);
    if (m.matches()) {
      return m.group(1);
    }
    log.row(
        line,
        CatalogProblem.BAD_YEAR,
        "year '" + value + "' of id " + id + " is not a number like 2012 or 2012.0; left empty");
    return "";
  }

  /**
   * The raw fields of every line by one commons-csv parser over the whole file, index i for line i
   * + 1; null when some record spans lines or the parser fails (a stray quote), and the file must
   * be read line by line instead. One parser is several times faster than one per line.
   */
  static List<List<String>> wholeFile(List<StylesFile.Line> lines) {
    StringBuilder text = new StringBuilder();
    for (StylesFile.Line line : lines) {
      text.append(line.text()).append('\n');
    }
    List<List<String>> fields = new ArrayList<>(lines.size());
    try (CSVParser parser = CSVParser.parse(text.toString(), LINE_FORMAT)) {
      for (CSVRecord record : parser) {
        fields.add(record.toList());
        if (fields.size() > lines.size()) {
          return null;
        }
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return null;
    }
    // Every record ends at a line end, so as many records as lines means none spans two lines.
    return fields.size() == lines.size() ? fields : null;
  }

  /**
   * The raw fields of one line by commons-csv; a stray quote falls back to a plain split on commas.
   */
  private static List<String> fields(StylesFile.Line line, ProblemLog log) {
    try (CSVParser parser = CSVParser.parse(line.text(), LINE_FORMAT)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.size() == 1) {
        return new ArrayList<>(records.get(0).toList());
      }
      throw new IOException(records.size() + " records on one line");
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      log.row(
          line.number(),
          CatalogProblem.UNBALANCED_QUOTE,
          "quotes do not pair up ("
              + e.getMessage()
              + "); split on commas with quotes kept: "
              + line.text());
      return new ArrayList<>(List.of(line.text().split(",", -1)));
    }
  }

  /**
   * Keeps the products whose image exists, in row order, lists the ids without one, and returns the
   * image files no row names.
   */
  private static List<String> checkImages(
      Path dir,
      Map<String, Row> rows,
      List<Product> products,
      List<String> missing,
      ProblemLog log) {
    Path images = dir.resolve(IMAGES_DIR);
    Set<String> files = new HashSet<>();
    if (Files.isDirectory(images)) {
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(images)) {
        for (Path file : stream) {
          files.add(file.getFileName().toString());
        }
      } catch (IOException e) {
        throw new CatalogException("cannot list " + images + ": " + e, e);
      }
    }
    Set<String> named = new HashSet<>();
    for (Row row : rows.values()) {
      String file = row.product().image().getFileName().toString();
      if (files.contains(file)) {
        products.add(row.product());
        named.add(file);
      } else {
        log.row(
            row.line(),
            CatalogProblem.MISSING_IMAGE,
            "id "
                + row.product().id()
                + " has no "
                + IMAGES_DIR
                + "/"
                + file
                + "; product left out");
        missing.add(row.product().id());
      }
    }
    List<String> orphans = new ArrayList<>();
    for (String file : new TreeSet<>(files)) {
      if (!named.contains(file) && isImageName(file)) {
        log.file(
            images.resolve(file),
            CatalogProblem.IMAGE_WITHOUT_ROW,
            IMAGES_DIR + "/" + file + " is named by no row of " + STYLES_FILE);
        orphans.add(file);
      }
    }
    return orphans;
  }

  private static boolean isImageName(String file) {
    int dot = file.lastIndexOf('.');
    return !file.startsWith(".")
        && dot > 0
        && IMAGE_EXTENSIONS.contains(file.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
