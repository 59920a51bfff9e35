#include <gtest/gtest.h>

#include "markdown.hpp"

namespace incident {
namespace {

TEST(Markdown, TextIsEscapedOnOneLine) {
  EXPECT_EQ(md::text("a*b_c [x](y) <b> | #\nnext"), "a\\*b\\_c \\[x\\](y) \\<b\\> \\| \\# next");
  EXPECT_EQ(md::text("C:\\Users"), "C:\\\\Users");
}

TEST(Markdown, CodeSpansHoldBackticks) {
  EXPECT_EQ(md::code("plain"), "`plain`");
  EXPECT_EQ(md::code("a`b"), "``a`b``");
  EXPECT_EQ(md::code("`x`"), "`` `x` ``");
  EXPECT_EQ(md::block("echo ```", "sh"), "````sh\necho ```\n````\n");
}

TEST(Markdown, TablesEscapePipesOnce) {
  EXPECT_EQ(md::table({"A", "B"}, {{"`curl | bash`", md::text("x|y")}}),
            "| A | B |\n| --- | --- |\n| `curl \\| bash` | x\\|y |\n");
}

TEST(Markdown, ListItemsKeepTheirBlocksInside) {
  EXPECT_EQ(md::list({"one", "two:\n\n```sh\nls\n```\n"}, true),
            "1. one\n2. two:\n   \n   ```sh\n   ls\n   ```\n");
  EXPECT_EQ(md::list({"a"}), "- a\n");
  EXPECT_EQ(md::word_count("# Title\n\nTwo  words\n"), 4u);
}

}  // namespace
}  // namespace incident
