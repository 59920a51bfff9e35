// A constant string handed to the shell to run is just shell code:
//   eval 'code', eval "code", bash -c 'code', sh -c "code", echo 'code' | sh
// The command becomes the code. Non-constant arguments (eval "$x") are left as they are.
#include "rewriter.hpp"
#include "scan_util.hpp"
#include "shell_words.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

struct Found {
  size_t begin = 0;
  size_t end = 0;
  std::string code;
};

bool statement_ends(std::string_view text, size_t pos) {
  size_t at = skip_blanks(text, pos);
  return at >= text.size() || text[at] == '\n' || text[at] == ';' || text[at] == '&' ||
         text[at] == '|' || text[at] == ')' || text[at] == '#';
}

std::optional<Found> runner_at(std::string_view text, size_t pos) {
  size_t at = std::string_view::npos;
  if (size_t after = match_word(text, pos, "eval"); after != std::string_view::npos) {
    at = skip_blanks(text, after);
  } else {
    for (std::string_view shell : {"bash", "sh", "zsh", "dash"}) {
      size_t after_shell = match_word(text, pos, shell);
      if (after_shell == std::string_view::npos) continue;
      size_t flag = skip_blanks(text, after_shell);
      if (text.substr(flag, 2) == "-c" && flag + 2 < text.size() && is_blank(text[flag + 2]))
        at = skip_blanks(text, flag + 2);
      break;
    }
  }
  if (at == std::string_view::npos || at >= text.size()) return std::nullopt;
  auto word = parse_shell_word(text, at);
  if (!word || !word->constant || !word->quoted || !statement_ends(text, word->end))
    return std::nullopt;
  return Found{pos, word->end, std::move(word->value)};
}

// echo 'code' | sh
std::optional<Found> piped_to_shell(std::string_view text, size_t pos) {
  size_t after = match_word(text, pos, "echo");
  if (after == std::string_view::npos) return std::nullopt;
  size_t at = skip_blanks(text, after);
  for (std::string_view flag : {"-e", "-n", "-ne", "-en"}) {
    size_t end = match_word(text, at, flag);
    if (end != std::string_view::npos) {
      at = skip_blanks(text, end);
      break;
    }
  }
  auto word = parse_shell_word(text, at);
  if (!word || !word->constant || !word->quoted) return std::nullopt;
  size_t pipe = skip_blanks(text, word->end);
  if (pipe >= text.size() || text[pipe] != '|' || text.substr(pipe, 2) == "||") return std::nullopt;
  size_t shell = skip_blanks(text, pipe + 1);
  for (std::string_view name : {"bash", "sh", "/bin/sh", "/bin/bash", "zsh", "dash"}) {
    size_t end = match_word(text, shell, name);
    if (end != std::string_view::npos && statement_ends(text, end))
      return Found{pos, end, std::move(word->value)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Rewrite> unwrap_shell_eval(const TransformInput& input) {
  const std::string_view text = input.text;
  Rewriter out(text);
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, Syntax::Shell)) {
      i = skip_literal_or_comment(text, i, Syntax::Shell);
      continue;
    }
    const char c = text[i];
    if ((c == 'e' || c == 'b' || c == 's' || c == 'z' || c == 'd') &&
        at_shell_word_start(text, i)) {
      auto found = runner_at(text, i);
      if (!found && c == 'e') found = piped_to_shell(text, i);
      if (found) {
        out.replace(found->begin, found->end, found->code);
        i = found->end;
        continue;
      }
    }
    size_t skipped = skip_literal_or_comment(text, i, Syntax::Shell);
    i = skipped > i ? skipped : i + 1;
  }
  if (!out.changed()) return std::nullopt;
  return Rewrite{std::move(out).finish(), Language::Shell, std::nullopt};
}

}  // namespace script_analysis
