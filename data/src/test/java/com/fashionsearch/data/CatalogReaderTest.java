package com.fashionsearch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each quirk of the real styles.csv, from files written here, and the strict mode's messages. */
class CatalogReaderTest {
  static final String HEADER =
      "id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName";

  @TempDir Path dir;

  private final CatalogReader reader = new CatalogReader();

  /** A row with the given id, year and display name; the other attributes fixed. */
  static String row(String id, String year, String name) {
    return id + ",Men,Apparel,Topwear,Shirts,Blue,Summer," + year + ",Formal," + name;
  }

  /** Writes styles.csv from lines joined by LF (plus a final LF) and an empty image per id. */
  private void write(List<String> lines, String... imageIds) throws IOException {
    writeBytes((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), imageIds);
  }

  private void writeBytes(byte[] styles, String... imageIds) throws IOException {
    Files.write(dir.resolve("styles.csv"), styles);
    Files.createDirectories(dir.resolve("images"));
    for (String id : imageIds) {
      Files.write(dir.resolve("images").resolve(id + ".jpg"), new byte[] {1});
    }
  }

  private static int count(Catalog catalog, CatalogProblem problem) {
    return catalog.report().counts().get(problem);
  }

  @Test
  void readsACleanCatalogWithNoProblems() throws IOException {
    write(
        List.of(
            HEADER,
            row("15970", "2011", "Turtle Check Men Navy Blue Shirt"),
            row("39386", "2012", "Peter England Men Party Blue Jeans")),
        "15970",
        "39386");
    Catalog catalog = reader.read(dir, true);
    assertEquals(List.of("15970", "39386"), catalog.products().stream().map(Product::id).toList());
    Product first = catalog.products().get(0);
    assertEquals("Turtle Check Men Navy Blue Shirt", first.attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals("Men", first.attribute("gender"));
    assertEquals("2011", first.attribute(CatalogColumns.YEAR));
    assertEquals(dir.resolve("images").resolve("15970.jpg"), first.image());
    assertEquals(dir, catalog.root());
    assertEquals(2, catalog.report().rowsRead());
    assertEquals(0, catalog.report().problemCount());
    assertEquals(List.of("rows read: 2, problems: none"), catalog.report().summaryLines());
  }

  @Test
  void joinsUnquotedCommasBackIntoTheDisplayName() throws IOException {
    write(
        List.of(
            HEADER, row("1", "2012", "Puma Men, Black, Running Shoes"), row("2", "2012", "Plain")),
        "1",
        "2");
    Catalog catalog = reader.read(dir, false);
    assertEquals(
        "Puma Men, Black, Running Shoes",
        catalog.products().get(0).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals("Formal", catalog.products().get(0).attribute("usage"));
    assertEquals(1, count(catalog, CatalogProblem.NAME_COMMAS_REJOINED));
    assertEquals(2, catalog.products().size());
    assertEquals(2, catalog.report().issues().get(0).line());
  }

  @Test
  void joinsCommasIntoTheNameWhereverTheHeaderPutsIt() throws IOException {
    write(
        List.of(
            "productDisplayName,id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,extra",
            "Nike Men, Red Shoes,7,Men,Footwear,Shoes,Sports Shoes,Red,Fall,2012,Sports,x"),
        "7");
    Catalog catalog = reader.read(dir, false);
    Product p = catalog.products().get(0);
    assertEquals("7", p.id());
    assertEquals("Nike Men, Red Shoes", p.attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals("Sports", p.attribute("usage"));
    assertEquals(1, count(catalog, CatalogProblem.NAME_COMMAS_REJOINED));
  }

  @Test
  void normalisesYearsAndCountsBadOnes() throws IOException {
    write(
        List.of(
            HEADER,
            row("1", "2012.0", "A"),
            row("2", "2011", "B"),
            row("3", "", "C"),
            row("4", "twenty12", "D")),
        "1",
        "2",
        "3",
        "4");
    Catalog catalog = reader.read(dir, false);
    assertEquals(
        List.of("2012", "2011", "", ""),
        catalog.products().stream().map(p -> p.attribute("year")).toList());
    assertEquals(1, count(catalog, CatalogProblem.BAD_YEAR));
    assertTrue(
        catalog.report().issues().get(0).detail().contains("twenty12"),
        catalog.report().issues().toString());
    assertEquals(5, catalog.report().issues().get(0).line());
  }

  @Test
  void keepsEmptyFieldsAsEmptyAttributes() throws IOException {
    write(List.of(HEADER, "5,,Apparel,,,,,,,"), "5");
    Catalog catalog = reader.read(dir, true);
    Product p = catalog.products().get(0);
    assertEquals("", p.attribute("gender"));
    assertEquals("Apparel", p.attribute("masterCategory"));
    assertEquals("", p.attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(0, catalog.report().problemCount());
  }

  @Test
  void acceptsAByteOrderMarkAndCrlfLineEnds() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    bytes.write(
        (HEADER + "\r\n" + row("1", "2012", "Roadster Men Shirt") + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    writeBytes(bytes.toByteArray(), "1");
    Catalog catalog = reader.read(dir, true);
    assertEquals("1", catalog.products().get(0).id());
    assertEquals(
        "Roadster Men Shirt", catalog.products().get(0).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(0, catalog.report().problemCount());
  }

  @Test
  void dropsTrailingEmptyFields() throws IOException {
    write(List.of(HEADER, row("1", "2012", "Shirt") + ",,", row("2", "2012", "Other")), "1", "2");
    Catalog catalog = reader.read(dir, false);
    assertEquals("Shirt", catalog.products().get(0).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(1, count(catalog, CatalogProblem.TRAILING_EMPTY_FIELDS));
    assertEquals(0, count(catalog, CatalogProblem.NAME_COMMAS_REJOINED));
  }

  @Test
  void acceptsAHeaderWithTrailingEmptyColumns() throws IOException {
    write(List.of(HEADER + ",,", row("1", "2012", "Shirt") + ",,"), "1");
    Catalog catalog = reader.read(dir, true);
    assertEquals("Shirt", catalog.products().get(0).attribute(CatalogColumns.DISPLAY_NAME));
  }

  @Test
  void replacesInvalidUtf8AndKeepsTheRow() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write((HEADER + "\n" + row("1", "2012", "Caf")).getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xe9, ' ', 'S', 'h', 'i', 'r', 't', '\n'});
    bytes.write((row("2", "2012", "Café Shirt") + "\n").getBytes(StandardCharsets.UTF_8));
    writeBytes(bytes.toByteArray(), "1", "2");
    Catalog catalog = reader.read(dir, false);
    assertEquals(
        "Caf\uFFFD Shirt", catalog.products().get(0).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals("Café Shirt", catalog.products().get(1).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(1, count(catalog, CatalogProblem.INVALID_UTF8));
    assertEquals(2, catalog.report().issues().get(0).line());
  }

  @Test
  void theLastOfDuplicateIdsWins() throws IOException {
    write(
        List.of(HEADER, row("1", "2012", "Old"), row("2", "2012", "Two"), row("1", "2013", "New")),
        "1",
        "2");
    Catalog catalog = reader.read(dir, false);
    assertEquals(List.of("2", "1"), catalog.products().stream().map(Product::id).toList());
    assertEquals("New", catalog.products().get(1).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(1, count(catalog, CatalogProblem.DUPLICATE_ID));
    assertEquals(3, catalog.report().rowsRead());
    assertTrue(
        catalog.report().issues().get(0).detail().contains("line 2"),
        catalog.report().issues().toString());
  }

  @Test
  void listsMissingImagesAndImagesWithoutARow() throws IOException {
    write(
        List.of(HEADER, row("1", "2012", "A"), row("2", "2012", "B"), row("3", "2012", "C")),
        "1",
        "3",
        "99");
    Files.writeString(
        dir.resolve("images").resolve("notes.txt"), "not an image", StandardCharsets.UTF_8);
    Catalog catalog = reader.read(dir, false);
    assertEquals(List.of("1", "3"), catalog.products().stream().map(Product::id).toList());
    CatalogReport report = catalog.report();
    assertEquals(List.of("2"), report.missingImageIds());
    assertEquals(List.of("99.jpg"), report.orphanImages());
    assertEquals(1, report.count(CatalogProblem.MISSING_IMAGE));
    assertEquals(1, report.count(CatalogProblem.IMAGE_WITHOUT_ROW));
    List<String> summary = report.summaryLines();
    assertTrue(summary.contains("  missing-image: 1"), summary.toString());
    assertTrue(
        summary.contains("ids without an image (1):") && summary.contains("  2"),
        summary.toString());
    assertTrue(
        summary.contains("images without a row (1):") && summary.contains("  99.jpg"),
        summary.toString());
  }

  @Test
  void capsTheSummaryListsWithAndNMore() throws IOException {
    List<String> lines = new java.util.ArrayList<>(List.of(HEADER));
    for (int i = 100; i < 125; i++) {
      lines.add(row(Integer.toString(i), "2012", "P" + i));
    }
    write(lines);
    CatalogReport report = reader.read(dir, false).report();
    assertEquals(25, report.missingImageIds().size());
    List<String> summary = report.summaryLines();
    assertTrue(summary.contains("  119") && !summary.contains("  120"), summary.toString());
    assertTrue(summary.contains("  and 5 more"), summary.toString());
  }

  @Test
  void skipsUnrecoverableRowsWithTheirLineAndReason() throws IOException {
    write(
        List.of(
            HEADER,
            row("", "2012", "No id"),
            row("12a", "2012", "Bad id"),
            "3,Men,Apparel",
            "",
            row("4", "2012", "Good")),
        "4");
    Catalog catalog = reader.read(dir, false);
    assertEquals(List.of("4"), catalog.products().stream().map(Product::id).toList());
    List<CatalogReport.Issue> skipped = catalog.report().skippedRows();
    assertEquals(List.of(2L, 3L, 4L), skipped.stream().map(CatalogReport.Issue::line).toList());
    assertTrue(skipped.get(0).detail().startsWith("no id"), skipped.toString());
    assertTrue(skipped.get(1).detail().contains("'12a'"), skipped.toString());
    assertTrue(skipped.get(2).detail().contains("too few fields: 3 of 10"), skipped.toString());
    assertEquals(4, catalog.report().rowsRead());
    assertTrue(
        catalog
            .report()
            .summaryLines()
            .contains("  line 3: unrecoverable-row: non-numeric id '12a', row skipped"),
        catalog.report().summaryLines().toString());
  }

  @Test
  void readsQuotedFieldsAndSurvivesAStrayQuote() throws IOException {
    write(
        List.of(
            HEADER,
            row("1", "2012", "\"Nike Women's 3.5\"\" Short, Purple\""),
            row("2", "2012", "\"Unclosed 3.5 Short"),
            row("3", "2012", "Fine")),
        "1",
        "2",
        "3");
    Catalog catalog = reader.read(dir, false);
    assertEquals(
        "Nike Women's 3.5\" Short, Purple",
        catalog.products().get(0).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(
        "\"Unclosed 3.5 Short", catalog.products().get(1).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals("Fine", catalog.products().get(2).attribute(CatalogColumns.DISPLAY_NAME));
    assertEquals(1, count(catalog, CatalogProblem.UNBALANCED_QUOTE));
    assertEquals(1, catalog.report().problemCount());
  }

  @Test
  void failsWithoutStylesCsvNamingTheFolder() {
    CatalogException e = assertThrows(CatalogException.class, () -> reader.read(dir, false));
    assertTrue(e.getMessage().contains(dir.resolve("styles.csv").toString()), e.getMessage());
  }

  @Test
  void failsOnAnEmptyFile() throws IOException {
    writeBytes(new byte[0]);
    CatalogException e = assertThrows(CatalogException.class, () -> reader.read(dir, false));
    assertTrue(e.getMessage().contains("no header"), e.getMessage());
  }

  @Test
  void failsOnAHeaderLackingColumnsNamingThem() throws IOException {
    write(
        List.of(
            "id,gender,masterCategory,subCategory,articleType,season,usage,productDisplayName",
            "1,Men,A,B,C,Fall,Casual,N"));
    CatalogException e = assertThrows(CatalogException.class, () -> reader.read(dir, false));
    assertTrue(e.getMessage().contains("[baseColour, year]"), e.getMessage());
    assertTrue(e.getMessage().contains("styles.csv line 1"), e.getMessage());
  }

  @Test
  void strictModeFailsAtTheFirstProblemNamingFileLineAndReason() throws IOException {
    write(
        List.of(
            HEADER,
            row("1", "2012", "Fine"),
            row("2", "2012.0", "Comma, Name"),
            row("x", "2012", "Bad")),
        "1",
        "2");
    CatalogException e = assertThrows(CatalogException.class, () -> reader.read(dir, true));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("styles.csv") + " line 3: name-commas-rejoined:"),
        e.getMessage());
    assertTrue(e instanceof IllegalArgumentException);
  }

  @Test
  void strictModeFailsOnAnOrphanImageNamingIt() throws IOException {
    write(List.of(HEADER, row("1", "2012", "Fine")), "1", "55");
    CatalogException e = assertThrows(CatalogException.class, () -> reader.read(dir, true));
    assertTrue(
        e.getMessage().startsWith(dir.resolve("images").resolve("55.jpg") + ": image-without-row:"),
        e.getMessage());
  }

  @Test
  void strictModeFailsOnAMissingImageNamingTheLine() throws IOException {
    write(List.of(HEADER, row("1", "2012", "Fine"), row("2", "2012", "No image")), "1");
    CatalogException e = assertThrows(CatalogException.class, () -> reader.read(dir, true));
    assertTrue(e.getMessage().contains("styles.csv line 3: missing-image: id 2"), e.getMessage());
  }

  @Test
  void readsAGeneratedCatalogStrictly() throws IOException {
    List<String> ids = SyntheticCatalog.write(dir, 12, 42L);
    Catalog catalog = reader.read(dir, true);
    assertEquals(ids, catalog.products().stream().map(Product::id).toList());
    assertEquals(0, catalog.report().problemCount());
  }

  @Test
  void parsesAWholeFileAtOnceUnlessARecordSpansLines() {
    List<StylesFile.Line> clean =
        StylesFile.split(
            (HEADER
                    + "\r\n"
                    + row("1", "2012", "\"Quoted, \"\"name\"\"\"")
                    + "\r\n\r\n"
                    + row("2", "", "x")
                    + ",,")
                .getBytes(StandardCharsets.UTF_8));
    List<List<String>> fields = CatalogReader.wholeFile(clean);
    assertEquals(4, clean.size());
    assertEquals(4, fields.size());
    assertEquals("Quoted, \"name\"", fields.get(1).get(9));
    assertEquals(List.of(""), fields.get(2));
    assertEquals(12, fields.get(3).size());
    List<StylesFile.Line> stray =
        StylesFile.split(
            (HEADER + "\n" + row("1", "2012", "\"open") + "\n" + row("2", "2012", "\"x\""))
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(null, CatalogReader.wholeFile(stray));
  }

  @Test
  void everyProblemHasAStableDistinctKey() {
    Map<String, CatalogProblem> byKey = new java.util.HashMap<>();
    for (CatalogProblem p : CatalogProblem.values()) {
      assertTrue(p.key().matches("[a-z0-9-]+"), p.key());
      assertEquals(null, byKey.put(p.key(), p), p.key());
    }
    assertEquals("name-commas-rejoined", CatalogProblem.NAME_COMMAS_REJOINED.key());
    assertEquals("unrecoverable-row", CatalogProblem.UNRECOVERABLE_ROW.key());
  }
}
