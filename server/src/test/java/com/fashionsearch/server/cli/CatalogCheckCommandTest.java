package com.fashionsearch.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fashionsearch.data.SyntheticCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogCheckCommandTest {
  @TempDir Path dir;

  /** A catalog with a comma in a name (line 3) and an id without an image (line 4). */
  private Path quirky() throws Exception {
    Path catalog = dir.resolve("quirky");
    Files.createDirectories(catalog.resolve("images"));
    Files.writeString(
        catalog.resolve("styles.csv"),
        String.join(
                "\n",
                "id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName",
                "1,Men,Apparel,Topwear,Shirts,Blue,Summer,2012.0,Formal,Plain Shirt",
                "2,Men,Apparel,Topwear,Shirts,Blue,Summer,2012.0,Formal,Puma Men, Blue Shirt",
                "3,Men,Apparel,Topwear,Shirts,Blue,Summer,2012.0,Formal,No Image Shirt")
            + "\n",
        StandardCharsets.UTF_8);
    Files.write(catalog.resolve("images").resolve("1.jpg"), new byte[] {1});
    Files.write(catalog.resolve("images").resolve("2.jpg"), new byte[] {1});
    return catalog;
  }

  @Test
  void printsTheSummaryAndExitsZeroWhenTolerant() throws Exception {
    CliRun r = CliRun.run("catalog", "check", "--catalog", quirky().toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains(": 2 products with an image"), r.out());
    assertTrue(r.out().contains("rows read: 3, problems: 2"), r.out());
    assertTrue(r.out().contains("  name-commas-rejoined: 1"), r.out());
    assertTrue(r.out().contains("ids without an image (1):\n  3\n"), r.out());
  }

  @Test
  void strictExitsOneNamingFileLineAndReason() throws Exception {
    Path catalog = quirky();
    CliRun r = CliRun.run("catalog", "check", "--catalog", catalog.toString(), "--strict");
    assertEquals(1, r.code());
    assertEquals(
        "error: " + catalog.resolve("styles.csv") + " line 3: name-commas-rejoined:",
        r.err().substring(0, r.err().indexOf("name-commas-rejoined:") + 21));
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void strictPassesACleanCatalog() throws Exception {
    Path catalog = dir.resolve("generated");
    SyntheticCatalog.write(catalog, 5, 7L);
    CliRun r = CliRun.run("catalog", "check", "--catalog", catalog.toString(), "--strict");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("rows read: 5, problems: none"), r.out());
  }

  @Test
  void aFolderWithoutStylesCsvExitsOneWithOneLine() {
    CliRun r = CliRun.run("catalog", "check", "--catalog", dir.resolve("nothing").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("error: no styles.csv in catalog folder"), r.err());
  }
}
