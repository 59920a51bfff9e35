#include <gtest/gtest.h>

#include "secpilot/manifest/diagnostic.hpp"

namespace secpilot::manifest {
namespace {

TEST(ManifestFormatDiagnostic, ErrorWithFix) {
  Diagnostic d{Severity::Error,
               {"plugins/x.yaml", 12, 7},
               "unknown Format 'Python'",
               "use one of: Native, GPT"};
  EXPECT_EQ(format_diagnostic(d),
            "plugins/x.yaml:12:7: error: unknown Format 'Python' \u2014 use one of: Native, GPT");
}

TEST(ManifestFormatDiagnostic, WarningAndNote) {
  EXPECT_EQ(format_diagnostic({Severity::Warning, {"a.yaml", 1, 2}, "what", "fix"}),
            "a.yaml:1:2: warning: what \u2014 fix");
  EXPECT_EQ(format_diagnostic({Severity::Note, {"a.yaml", 3, 4}, "just so you know", ""}),
            "a.yaml:3:4: note: just so you know");
}

TEST(ManifestFormatDiagnostic, UnknownLocation) {
  EXPECT_EQ(format_diagnostic({Severity::Error, {"a.yaml", 0, 0}, "cannot read", "check it"}),
            "a.yaml: error: cannot read \u2014 check it");
  EXPECT_EQ(format_diagnostic({Severity::Error, {"a.yaml", 5, 0}, "w", ""}), "a.yaml:5: error: w");
  EXPECT_EQ(format_diagnostic({Severity::Error, {"", 0, 0}, "w", ""}), "error: w");
}

TEST(ManifestHasErrors, OnlyErrorsCount) {
  std::vector<Diagnostic> list;
  EXPECT_FALSE(has_errors(list));
  list.push_back({Severity::Warning, {}, "w", ""});
  list.push_back({Severity::Note, {}, "n", ""});
  EXPECT_FALSE(has_errors(list));
  list.push_back({Severity::Error, {}, "e", ""});
  EXPECT_TRUE(has_errors(list));
}

}  // namespace
}  // namespace secpilot::manifest
