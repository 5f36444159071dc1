package com.fashionsearch.server;

import com.fashionsearch.searcher.CatalogItem;
import com.fashionsearch.searcher.IndexInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Finds a product's image file, never outside the images folder. Immutable and thread-safe. */
final class ImageFiles {
  private final Optional<Path> imagesDir;

  /**
   * @param imagesDir the images folder, or empty for {@code images/} under the index's catalog
   */
  ImageFiles(Optional<Path> imagesDir) {
    this.imagesDir = imagesDir.map(p -> p.toAbsolutePath().normalize());
  }

  /**
   * @throws ApiException 404 when the file is missing; 400 when the stored name leaves the folder
   */
  Path resolve(IndexInfo info, CatalogItem item) {
    Path base =
        imagesDir.orElseGet(
            () -> Path.of(info.catalog()).resolve("images").toAbsolutePath().normalize());
    Path file = base.resolve(item.image()).normalize();
    if (!file.startsWith(base) || file.equals(base)) {
      throw new ApiException(
          400, "image path of product " + item.id() + " leaves the images folder: " + item.image());
    }
    if (!Files.isRegularFile(file)) {
      throw new ApiException(404, "no image file for product " + item.id() + ": " + item.image());
    }
    return file;
  }

  /** The content type for an image file name. */
  static String contentType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "image/png";
    }
    if (name.endsWith(".gif")) {
      return "image/gif";
    }
    if (name.endsWith(".bmp")) {
      return "image/bmp";
    }
    return "image/jpeg";
  }
}
