// Shell words whose quoting only serves to cut a name in pieces: c''u""rl, "cu"'rl', w\g\e\t,
// ba$'\x73'h. sh removes the quotes before running anything, so the word is written as the shell
// reads it. Quoting that does not split letters or digits (--opt="a b", "$HOME"/bin) is left.
#include "rewriter.hpp"
#include "shell_words.hpp"
#include "transform.hpp"

namespace script_analysis {

std::optional<Rewrite> splice_shell_quotes(const TransformInput& input) {
  const std::string_view text = input.text;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, Syntax::Shell)) {
      i = skip_literal_or_comment(text, i, Syntax::Shell);
      continue;
    }
    if (text[i] == '<') {
      size_t after = skip_heredoc(text, i);
      i = after > i ? after : i + 1;
      continue;
    }
    if (is_shell_separator(text[i]) || !at_shell_word_start(text, i)) {
      ++i;
      continue;
    }
    auto word = parse_shell_word(text, i);
    if (!word) {
      i = line_end(text, i);
      continue;
    }
    if (word->constant && word->spliced)
      out.replace(word->begin, word->end, shell_word(word->value));
    i = word->end > i ? word->end : i + 1;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
}

}  // namespace script_analysis
