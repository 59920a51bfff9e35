// cmd.exe's escape character, the caret, before a letter or digit is just that character:
// p^o^w^e^r^s^h^e^l^l and c^url run powershell and curl. Carets before a letter or digit are
// removed; carets escaping cmd's special characters (^&, ^|, ^>, ^^) keep their meaning.
#include "rewriter.hpp"
#include "transform.hpp"

namespace script_analysis {

std::optional<Rewrite> remove_batch_carets(const TransformInput& input) {
  const std::string_view text = input.text;
  if (text.find('^') == std::string_view::npos) return std::nullopt;
  Rewriter out(text);
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '^' && text[i + 1] == '^') {
      ++i;  // an escaped caret
    } else if (text[i] == '^' && is_alnum(text[i + 1])) {
      out.replace(i, i + 1, "");
    }
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis
