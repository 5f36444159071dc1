package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCheckCommandTest {
  @TempDir Path dir;

  private Path write(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private Path expected() throws Exception {
    return write(
        "expected.tsv",
        "name\tline\tkey\tvalue\ttolerance\tunit\tcommand\tsection",
        "quality.p10\teval k=10\tP@10[articleType]\t0.636\t0.005\t\tfashion eval --index IX"
            + "\tRetrieval quality",
        "query.women\tratio strategy=default filter=gender=Women\tspeedup\t117\t60%\tx\tfashion"
            + " bench query\tFiltered k-NN queries");
  }

  @Test
  void passesAndExitsZeroWhenEveryFigureIsWithinItsTolerance() throws Exception {
    Path results =
        write(
            "out.txt",
            "eval k=10 P@10[articleType]=0.638 mAP@10[articleType]=0.566",
            "ratio strategy=default filter=gender=Women recall@10=0.995 speedup=150x");
    CliRun r =
        CliRun.run(
            "bench", "check", "--expected", expected().toString(), "--results", results.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("check figures=2 pass=2 fail=0 missing=0"), r.out());
  }

  @Test
  void exitsOneOnAFailureOrAMissingFigure() throws Exception {
    Path results = write("out.txt", "eval k=10 P@10[articleType]=0.600");
    CliRun r =
        CliRun.run(
            "bench", "check", "--expected", expected().toString(), "--results", results.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("check figures=2 pass=0 fail=1 missing=1"), r.out());
    assertTrue(
        r.out()
            .contains(
                "no line 'ratio strategy=default filter=gender=Women ... speedup=..' in "
                    + results),
        r.out());

    CliRun only =
        CliRun.run(
            "bench",
            "check",
            "--expected",
            expected().toString(),
            "--results",
            results.toString(),
            "--figures",
            "query.");
    assertEquals(1, only.code());
    assertTrue(only.out().contains("check figures=1 pass=0 fail=0 missing=1"), only.out());
  }

  @Test
  void aMalformedFileIsOneLineNamingFileAndLine() throws Exception {
    Path bad =
        write(
            "bad.tsv",
            "name\tline\tkey\tvalue\ttolerance\tunit\tcommand\tsection",
            "x\teval\tP\t0.5");
    Path results = write("out.txt", "eval k=10 P=0.5");
    CliRun r =
        CliRun.run("bench", "check", "--expected", bad.toString(), "--results", results.toString());
    assertEquals(1, r.code());
    assertEquals(
        "error: "
            + bad
            + ":2: expected 8 tab-separated columns (name,line,key,value,tolerance,unit,command,"
            + "section), got 4",
        r.err().strip());

    CliRun noResults =
        CliRun.run(
            "bench",
            "check",
            "--expected",
            expected().toString(),
            "--results",
            dir.resolve("absent.txt").toString());
    assertEquals(1, noResults.code());
    assertEquals(
        "error: no such file or folder: " + dir.resolve("absent.txt"), noResults.err().strip());

    CliRun noMatch =
        CliRun.run(
            "bench",
            "check",
            "--expected",
            expected().toString(),
            "--results",
            results.toString(),
            "--figures",
            "nothing.");
    assertEquals(1, noMatch.code());
    assertTrue(
        noMatch
            .err()
            .contains(
                "no figure in "
                    + dir.resolve("expected.tsv")
                    + " has a name starting with 'nothing.'"),
        noMatch.err());
  }
}
