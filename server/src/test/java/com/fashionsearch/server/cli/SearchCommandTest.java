package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.Product;
import com.fashionsearch.searcher.TestIndexes;
import com.fashionsearch.server.ResultJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
  @TempDir Path dir;

  private Path index() throws Exception {
    Path catalog = dir.resolve("catalog");
    List<Product> products = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    String[] types = {"Footwear", "Apparel", "Footwear", "Accessories", "Footwear"};
    for (int i = 0; i < types.length; i++) {
      products.add(
          TestIndexes.product(
              catalog,
              Integer.toString(100 + i),
              i % 2 == 0 ? "Men" : "Women",
              types[i],
              "Sub",
              "Type " + i,
              "Red",
              2010 + i,
              "Name " + i));
      vectors.add(TestIndexes.colourVector(0x101010 * (i + 1)));
    }
    TestIndexes.writeGeneration(dir.resolve("index"), catalog, products, vectors, false);
    return dir.resolve("index");
  }

  @Test
  void jsonHasTheHttpShapeAndUntrainedWeightsAreAnnouncedOnStderr() throws Exception {
    Path index = index();
    CliRun r =
        CliRun.run(
            "search",
            "--index",
            index.toString(),
            "--id",
            "100",
            "--k",
            "2",
            "--filter",
            "masterCategory:Footwear",
            "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("UNTRAINED"), r.err());
    JsonNode json = ResultJson.MAPPER.readTree(r.out());
    JsonNode results = json.get("results");
    assertEquals(2, results.size());
    assertEquals("102", results.get(0).get("id").asText());
    assertEquals("104", results.get(1).get("id").asText());
    for (String attribute :
        List.of(
            "gender",
            "masterCategory",
            "subCategory",
            "articleType",
            "baseColour",
            "season",
            "year",
            "usage",
            "productDisplayName")) {
      assertTrue(results.get(0).has(attribute), attribute);
    }
    assertEquals("Footwear", results.get(1).get("masterCategory").asText());
    assertTrue(results.get(0).get("score").asDouble() >= results.get(1).get("score").asDouble());
  }

  @Test
  void repeatedFiltersMeanAnyValueWithinAnAttributeAndAllAcrossThem() throws Exception {
    Path index = index();
    assertEquals(
        List.of("102", "103", "104"),
        sortedIds(
            CliRun.run(
                "search",
                "--index",
                index.toString(),
                "--id",
                "100",
                "--k",
                "10",
                "--filter",
                "masterCategory=Footwear",
                "--filter",
                "masterCategory=Accessories",
                "--json")));
    assertEquals(
        List.of("101"),
        sortedIds(
            CliRun.run(
                "search",
                "--index",
                index.toString(),
                "--id",
                "100",
                "--k",
                "10",
                "--filter",
                "masterCategory=Footwear",
                "--filter",
                "masterCategory=Apparel",
                "--filter",
                "gender=Women",
                "--json")));
    assertEquals(
        List.of("104"),
        sortedIds(
            CliRun.run(
                "search",
                "--index",
                index.toString(),
                "--id",
                "100",
                "--k",
                "10",
                "--filter",
                "masterCategory=Footwear",
                "--filter",
                "year:[2013 TO *]",
                "--json")));
    CliRun empty =
        CliRun.run("search", "--index", index.toString(), "--id", "100", "--filter", "gender=");
    assertEquals(1, empty.code());
    assertTrue(empty.err().contains("--filter gender= has no value"), empty.err());
  }

  private static List<String> sortedIds(CliRun r) throws Exception {
    assertEquals(0, r.code(), r.err());
    List<String> ids = new ArrayList<>();
    ResultJson.MAPPER.readTree(r.out()).get("results").forEach(n -> ids.add(n.get("id").asText()));
    return ids.stream().sorted().toList();
  }

  @Test
  void anIndexThatIsAFileIsOneLineAndTheTraceOnlyWithDebug() throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("not-an-index.txt"), "x");
    CliRun r = CliRun.run("search", "--index", file.toString(), "--id", "1");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(file.getFileName().toString()), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace without --debug: " + r.err());
    CliRun debug = CliRun.run("search", "--index", file.toString(), "--id", "1", "--debug");
    assertEquals(1, debug.code());
    assertTrue(debug.err().contains("\tat "), "a stack trace with --debug: " + debug.err());
  }

  @Test
  void badInputExitsWithOneLineNamingIt() throws Exception {
    Path index = index();
    CliRun unknownField =
        CliRun.run("search", "--index", index.toString(), "--id", "100", "--filter", "colour:Red");
    assertEquals(1, unknownField.code());
    assertTrue(unknownField.err().contains("colour"), unknownField.err());
    CliRun unknownId = CliRun.run("search", "--index", index.toString(), "--id", "999");
    assertEquals(1, unknownId.code());
    assertTrue(unknownId.err().contains("999"), unknownId.err());
    CliRun badK = CliRun.run("search", "--index", index.toString(), "--id", "100", "--k", "0");
    assertEquals(1, badK.code());
    assertTrue(badK.err().contains("k must be between 1 and 100, got: 0"), badK.err());
    CliRun noIndex =
        CliRun.run("search", "--index", dir.resolve("nothing").toString(), "--id", "1");
    assertEquals(1, noIndex.code());
    assertTrue(noIndex.err().contains("run fashion reindex first"), noIndex.err());
  }
}
