package com.fashionsearch.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectedFiguresTest {

  static final String HEADER = String.join("\t", ExpectedFigure.COLUMNS);

  static List<String> file(String... rows) {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of("# expected figures", HEADER),
            java.util.stream.Stream.of(rows))
        .toList();
  }

  @Test
  void readsEveryColumnSkippingCommentsAndBlankLines() {
    List<ExpectedFigure> figures =
        ExpectedFigures.parse(
            file(
                "quality.p10\teval k=10\tP@10[articleType]\t0.636\t0.005\t\tfashion eval --index IX"
                    + "\tRetrieval quality",
                "",
                "# speed",
                "query.women\tratio strategy=default filter=gender=Women\tspeedup\t120\t50%\tx"
                    + "\tfashion bench query\tFiltered k-NN queries"),
            "f.tsv");
    assertEquals(2, figures.size());
    ExpectedFigure q = figures.get(0);
    assertEquals("quality.p10", q.name());
    assertEquals("eval", q.line().tag());
    assertEquals(Map.of("k", "10"), q.conditions());
    assertEquals("P@10[articleType]", q.key());
    assertEquals(0.636, q.value());
    assertEquals(new Tolerance(0.005, false), q.tolerance());
    assertEquals("", q.unit());
    assertEquals("fashion eval --index IX", q.command());
    assertEquals("Retrieval quality", q.section());
    assertEquals("f.tsv:3", q.source());
    ExpectedFigure r = figures.get(1);
    // a value may hold '=': the pair splits at the first one
    assertEquals(Map.of("strategy", "default", "filter", "gender=Women"), r.conditions());
    assertEquals(new Tolerance(50, true), r.tolerance());
    assertEquals("x", r.unit());
    assertEquals("f.tsv:6", r.source());
  }

  private static String error(List<String> lines) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExpectedFigures.parse(lines, "exp.tsv"));
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void aMalformedLineIsNamedByFileAndLine() {
    String tooFew = error(file("a\teval\tP\t0.5\t0.1"));
    assertTrue(tooFew.startsWith("exp.tsv:3: expected 8 tab-separated columns"), tooFew);
    assertTrue(tooFew.endsWith("got 5"), tooFew);

    String notNumber =
        error(file("ok\teval\tP\t0.5\t0.1\t\tc\ts", "bad\teval\tP\tzero\t0.1\t\tc\ts"));
    assertTrue(
        notNumber.startsWith("exp.tsv:4: the value of figure 'bad' is not a number: 'zero'"),
        notNumber);

    String badTolerance = error(file("t\teval\tP\t0.5\tabout 1\t\tc\ts"));
    assertTrue(badTolerance.startsWith("exp.tsv:3: a tolerance must be a number"), badTolerance);
    assertTrue(badTolerance.contains("'about 1'"), badTolerance);

    String negative = error(file("t\teval\tP\t0.5\t-0.1\t\tc\ts"));
    assertTrue(
        negative.startsWith(
            "exp.tsv:3: a tolerance must be a finite number of at least 0, got: -0.1"),
        negative);

    String selector = error(file("t\teval k10\tP\t0.5\t0.1\t\tc\ts"));
    assertTrue(
        selector.startsWith(
            "exp.tsv:3: the line selector's words after the first must be key=value, got: 'k10'"),
        selector);

    String twice = error(file("t\teval\tP\t0.5\t0.1\t\tc\ts", "t\teval\tQ\t0.5\t0.1\t\tc\ts"));
    assertTrue(twice.startsWith("exp.tsv:4: the figure name 't' appears twice"), twice);
  }

  @Test
  void aWrongOrMissingHeaderIsRefused() {
    String wrong = error(List.of("name\tvalue", "a\t1"));
    assertTrue(
        wrong.startsWith("exp.tsv:1: the header must be the tab-separated columns name,line,key,"),
        wrong);
    String none = error(List.of("# only a comment", ""));
    assertTrue(none.startsWith("exp.tsv: no header line"), none);
  }

  @Test
  void theVersionedFileOfTheRepositoryReads() throws Exception {
    // bench runs its tests in bench/; the file sits at the repository root
    Path file = Path.of("..", "benchmarks", "expected-figures.tsv");
    assertTrue(Files.isRegularFile(file), "missing " + file.toAbsolutePath());
    List<ExpectedFigure> figures = ExpectedFigures.read(file);
    assertTrue(figures.size() >= 5, "figures: " + figures.size());
    // each figure names a section of BENCHMARKS.md that exists
    List<String> sections =
        Files.readAllLines(Path.of("..", "BENCHMARKS.md"), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("## "))
            .map(l -> l.substring(3).strip())
            .toList();
    for (ExpectedFigure f : figures) {
      assertTrue(!f.command().isEmpty(), f.name() + " lacks its command");
      assertTrue(
          sections.contains(f.section()),
          f.name() + ": no section '" + f.section() + "' in BENCHMARKS.md " + sections);
    }
  }
}
