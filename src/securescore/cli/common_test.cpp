#include "securescore/cli/common.h"

#include <gtest/gtest.h>

namespace securescore::cli {
namespace {

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(AlignedTable, PadsByDisplayWidthBeforeStyling) {
  Style plain(false);
  std::string table =
      AlignedTable({{{"id", ""}, {"n", ""}, {"title", ""}}, {{"é", ""}, {"10", ""}, {"x", ""}}},
                   {false, true, false}, plain);
  EXPECT_EQ(table, "id   n  title\né   10  x\n");

  Style colour(true);
  std::string styled = AlignedTable({{{"ok", "32"}, {"z", ""}}}, {}, colour);
  EXPECT_EQ(styled, "\x1b[32mok\x1b[0m  z\n");
}

TEST(Style, DisabledLeavesTextAlone) {
  EXPECT_EQ(Style(false).Bold("x"), "x");
  EXPECT_EQ(Style(true).Bold("x"), "\x1b[1mx\x1b[0m");
}

}  // namespace
}  // namespace securescore::cli
