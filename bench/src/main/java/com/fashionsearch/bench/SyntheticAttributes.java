package com.fashionsearch.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws product attributes in roughly the proportions of the Fashion Product Images dataset (44,441
 * products): the article kinds with their gender, master and sub category, and independent colour,
 * season, year and usage. For benchmarks; deterministic for a seed. Stateless, thread-safe.
 */
final class SyntheticAttributes {
  /**
   * gender, masterCategory, subCategory, articleType, weight (per mille of the dataset, roughly).
   */
  private static final List<Object[]> KINDS =
      List.of(
          new Object[] {"Men", "Apparel", "Topwear", "Tshirts", 110},
          new Object[] {"Women", "Apparel", "Topwear", "Tshirts", 50},
          new Object[] {"Men", "Apparel", "Topwear", "Shirts", 70},
          new Object[] {"Women", "Apparel", "Topwear", "Tops", 40},
          new Object[] {"Women", "Apparel", "Topwear", "Kurtas", 42},
          new Object[] {"Men", "Apparel", "Bottomwear", "Jeans", 14},
          new Object[] {"Women", "Apparel", "Dress", "Dresses", 10},
          new Object[] {"Men", "Apparel", "Innerwear", "Briefs", 19},
          new Object[] {"Women", "Apparel", "Innerwear", "Bra", 10},
          new Object[] {"Men", "Apparel", "Bottomwear", "Trousers", 12},
          new Object[] {"Boys", "Apparel", "Topwear", "Tshirts", 12},
          new Object[] {"Girls", "Apparel", "Topwear", "Tops", 8},
          new Object[] {"Unisex", "Apparel", "Socks", "Socks", 15},
          new Object[] {"Men", "Footwear", "Shoes", "Casual Shoes", 54},
          new Object[] {"Men", "Footwear", "Shoes", "Sports Shoes", 40},
          new Object[] {"Women", "Footwear", "Shoes", "Heels", 30},
          new Object[] {"Women", "Footwear", "Shoes", "Flats", 11},
          new Object[] {"Men", "Footwear", "Shoes", "Formal Shoes", 14},
          new Object[] {"Women", "Footwear", "Sandal", "Sandals", 20},
          new Object[] {"Men", "Footwear", "Flip Flops", "Flip Flops", 20},
          new Object[] {"Boys", "Footwear", "Shoes", "Sports Shoes", 2},
          new Object[] {"Men", "Accessories", "Watches", "Watches", 40},
          new Object[] {"Women", "Accessories", "Watches", "Watches", 17},
          new Object[] {"Women", "Accessories", "Bags", "Handbags", 40},
          new Object[] {"Unisex", "Accessories", "Bags", "Backpacks", 16},
          new Object[] {"Men", "Accessories", "Belts", "Belts", 18},
          new Object[] {"Men", "Accessories", "Wallets", "Wallets", 20},
          new Object[] {"Unisex", "Accessories", "Eyewear", "Sunglasses", 24},
          new Object[] {"Women", "Accessories", "Jewellery", "Earrings", 9},
          new Object[] {"Women", "Personal Care", "Fragrance", "Perfume and Body Mist", 14},
          new Object[] {"Women", "Personal Care", "Lips", "Lipstick", 7},
          new Object[] {"Women", "Personal Care", "Nails", "Nail Polish", 7},
          new Object[] {"Men", "Personal Care", "Fragrance", "Deodorant", 8},
          new Object[] {"Unisex", "Free Items", "Free Gifts", "Free Gifts", 2});

  private static final List<Object[]> COLOURS =
      List.of(
          new Object[] {"Black", 220},
          new Object[] {"White", 120},
          new Object[] {"Blue", 110},
          new Object[] {"Brown", 80},
          new Object[] {"Grey", 60},
          new Object[] {"Red", 60},
          new Object[] {"Green", 50},
          new Object[] {"Pink", 40},
          new Object[] {"Navy Blue", 40},
          new Object[] {"Purple", 35},
          new Object[] {"Silver", 30},
          new Object[] {"Yellow", 25},
          new Object[] {"Beige", 17},
          new Object[] {"Gold", 14},
          new Object[] {"Maroon", 13},
          new Object[] {"Orange", 11},
          new Object[] {"Olive", 9},
          new Object[] {"Cream", 6},
          new Object[] {"Teal", 4},
          new Object[] {"Magenta", 2});

  private static final List<Object[]> SEASONS =
      List.of(
          new Object[] {"Summer", 480},
          new Object[] {"Fall", 260},
          new Object[] {"Winter", 190},
          new Object[] {"Spring", 70});

  private static final List<Object[]> USAGES =
      List.of(
          new Object[] {"Casual", 780},
          new Object[] {"Sports", 90},
          new Object[] {"Ethnic", 73},
          new Object[] {"Formal", 50},
          new Object[] {"Party", 7});

  private SyntheticAttributes() {}

  /** The number of article kinds clusters are assigned from. */
  static int kinds() {
    return KINDS.size();
  }

  /** A kind drawn by the dataset's proportions. */
  static int drawKind(Random random) {
    return draw(KINDS, 4, random);
  }

  /**
   * The attributes of one product of article kind {@code kind}: colour, season, year and usage
   * drawn independently.
   */
  static Map<String, String> attributes(int kind, Random random, String name) {
    Object[] k = KINDS.get(kind);
    Map<String, String> a = new LinkedHashMap<>();
    a.put("gender", (String) k[0]);
    a.put("masterCategory", (String) k[1]);
    a.put("subCategory", (String) k[2]);
    a.put("articleType", (String) k[3]);
    a.put("baseColour", (String) COLOURS.get(draw(COLOURS, 1, random))[0]);
    a.put("season", (String) SEASONS.get(draw(SEASONS, 1, random))[0]);
    a.put(
        "year",
        Integer.toString(2008 + Math.min(10, (int) Math.abs(random.nextGaussian() * 2.5 + 4))));
    a.put("usage", (String) USAGES.get(draw(USAGES, 1, random))[0]);
    a.put("productDisplayName", name + " " + k[3] + " " + a.get("baseColour"));
    return a;
  }

  private static int draw(List<Object[]> table, int weightAt, Random random) {
    int total = 0;
    for (Object[] row : table) {
      total += (Integer) row[weightAt];
    }
    int r = random.nextInt(total);
    for (int i = 0; i < table.size(); i++) {
      r -= (Integer) table.get(i)[weightAt];
      if (r < 0) {
        return i;
      }
    }
    return table.size() - 1;
  }
}
