package com.fashionsearch.bench.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.bench.check.FigureCheck.Outcome;
import com.fashionsearch.bench.check.FigureCheck.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FigureCheckTest {

  /** What the commands print, with the prose and tables around their result lines. */
  static final List<String> OUTPUT =
      List.of(
          "index /tmp/ix: generation 1, 5000 products, model mobilenet-v1, weights zoo,"
              + " preprocessing pad, power",
          "articleType              P@10=0.636  mAP@10=0.566  (4985 queries)",
          "eval k=10 P@10[articleType]=0.636 mAP@10[articleType]=0.566"
              + " P@10[articleType+baseColour]=0.245 P@10[subCategory]=0.861"
              + " P@10[masterCategory]=0.965",
          "query strategy=default filter=gender=Women matching=17293 selectivity=0.3930"
              + " recall@10=0.995 p50_ms=2.04",
          "peer p50_ms=239.10 qps=4",
          "ratio strategy=default filter=gender=Women selectivity=0.3930 recall@10=0.995"
              + " p50_ms=2.04 peer_p50_ms=239.10 speedup=117x",
          "ratio strategy=default filter=none selectivity=1.0000 recall@10=0.999 p50_ms=1.10"
              + " peer_p50_ms=239.10 speedup=217x",
          "a sentence with a=b in it is not a result line",
          "ratio strategy=default filter=none selectivity=1.0000 recall@10=0.998 p50_ms=1.20"
              + " peer_p50_ms=239.10 speedup=199x");

  static ExpectedFigure figure(
      String line, String key, double value, String tolerance, String unit) {
    return new ExpectedFigure(
        "f",
        ResultLine.Selector.parse(line),
        key,
        value,
        Tolerance.parse(tolerance),
        unit,
        "fashion eval",
        "Retrieval quality",
        "exp.tsv:2");
  }

  static Outcome one(ExpectedFigure f) {
    return FigureCheck.check(List.of(f), ResultLines.parse(OUTPUT, "out.txt")).get(0);
  }

  @Test
  void parsesOnlyResultLines() {
    ResultLines lines = ResultLines.parse(OUTPUT, "out.txt");
    assertEquals(
        List.of(3, 4, 5, 6, 7, 9), lines.lines().stream().map(ResultLine::number).toList());
    ResultLine eval = lines.lines().get(0);
    assertEquals("eval", eval.tag());
    assertEquals("0.636", eval.pairs().get("P@10[articleType]"));
    assertEquals("gender=Women", lines.lines().get(1).pairs().get("filter"));
    assertNull(ResultLine.parse("   ", 1));
    assertEquals(
        Map.of("backend", "lucene", "recall@10", "1.000"),
        ResultLine.parse("backend=lucene recall@10=1.000", 1).pairs());
    assertEquals("", ResultLine.parse("backend=lucene recall@10=1.000", 1).tag());
  }

  @Test
  void passesWithinTheToleranceEitherWayAndFailsBeyond() {
    // measured 0.636: expected 0.640 +- 0.005 (below by 0.004) and 0.632 +- 0.005 (above by 0.004)
    // pass
    assertEquals(
        Status.PASS, one(figure("eval k=10", "P@10[articleType]", 0.640, "0.005", "")).status());
    assertEquals(
        Status.PASS, one(figure("eval k=10", "P@10[articleType]", 0.632, "0.005", "")).status());
    // the bound itself passes
    assertEquals(
        Status.PASS, one(figure("eval k=10", "P@10[articleType]", 0.646, "0.01", "")).status());
    // beyond it, either way, fails
    Outcome below = one(figure("eval k=10", "P@10[articleType]", 0.650, "0.005", ""));
    assertEquals(Status.FAIL, below.status());
    assertEquals(0.636, below.measured());
    assertEquals("out.txt:3", below.detail());
    assertEquals(
        Status.FAIL, one(figure("eval k=10", "P@10[articleType]", 0.620, "0.005", "")).status());
  }

  @Test
  void aRelativeToleranceAndAUnitSuffix() {
    // the last matching line wins: speedup 199x
    Outcome o = one(figure("ratio strategy=default filter=none", "speedup", 150, "50%", "x"));
    assertEquals(Status.PASS, o.status());
    assertEquals(199, o.measured());
    assertEquals("out.txt:9", o.detail());
    assertEquals(
        Status.FAIL,
        one(figure("ratio strategy=default filter=none", "speedup", 120, "50%", "x")).status());
    assertEquals(
        Status.FAIL,
        one(figure("ratio strategy=default filter=none", "speedup", 500, "50%", "x")).status());
    // the selector's pairs must all match: Women's line, not none's
    assertEquals(
        117, one(figure("ratio filter=gender=Women", "speedup", 117, "0", "x")).measured());
  }

  @Test
  void aMissingFigureSaysWhatWasLookedFor() {
    Outcome noLine = one(figure("eval k=20", "P@10[articleType]", 0.6, "0.01", ""));
    assertEquals(Status.MISSING, noLine.status());
    assertTrue(Double.isNaN(noLine.measured()));
    assertEquals(
        "no line 'eval k=20 ... P@10[articleType]=..' in out.txt (run: fashion eval)",
        noLine.detail());
    assertEquals(Status.MISSING, one(figure("eval", "P@5[articleType]", 0.6, "0.01", "")).status());
    // a value in another unit is not read as this one
    Outcome otherUnit = one(figure("ratio filter=none", "speedup", 150, "50%", "ms"));
    assertEquals(Status.MISSING, otherUnit.status());
    assertEquals("out.txt:9: speedup=199x is not a number in ms", otherUnit.detail());
  }

  @Test
  void printsOneLinePerFigureAndASummary() {
    List<Outcome> outcomes =
        FigureCheck.check(
            List.of(
                figure("eval k=10", "P@10[articleType]", 0.636, "0.005", ""),
                figure("ratio filter=none", "speedup", 120, "10%", "x"),
                figure("learn", "train_s", 80, "50%", "")),
            ResultLines.parse(OUTPUT, "out.txt"));
    assertFalse(FigureCheck.allPass(outcomes));
    assertTrue(FigureCheck.allPass(outcomes.subList(0, 1)));
    StringWriter text = new StringWriter();
    FigureCheck.print(outcomes, new PrintWriter(text));
    String[] lines = text.toString().split("\n");
    assertEquals(5, lines.length, text.toString());
    assertTrue(
        lines[1].contains("0.636") && lines[1].contains("+-0.005") && lines[1].contains("PASS"),
        lines[1]);
    assertTrue(
        lines[2].contains("199x")
            && lines[2].contains("120x")
            && lines[2].contains("+-10%")
            && lines[2].contains("FAIL"),
        lines[2]);
    assertTrue(lines[3].contains("MISSING"), lines[3]);
    assertEquals("check figures=3 pass=1 fail=1 missing=1", lines[4]);
  }
}
