#include "shell_pipeline.hpp"

#include <vector>

#include "rewriter.hpp"
#include "scan_util.hpp"
#include "script_analysis/base64.hpp"
#include "script_analysis/inflate.hpp"
#include "script_analysis/text_encoding.hpp"
#include "shell_words.hpp"

namespace script_analysis {
namespace {

enum class Filter { Base64, Gunzip, Hex, Reverse };

struct Pipeline {
  size_t begin = 0;
  size_t end = 0;
  std::string data;
  std::vector<Filter> filters;
  bool executed = false;  // its output runs as a shell script
  bool captured = false;  // inside $( ) or backticks, which were included in [begin, end)
};

// The words of a simple command starting at pos, up to a pipe, separator or line end.
struct Command {
  std::vector<ShellWord> words;
  size_t end = 0;
  std::optional<ShellWord> here_string;  // <<< word
};

std::optional<Command> command_at(std::string_view text, size_t pos) {
  Command command;
  size_t at = skip_blanks(text, pos);
  while (at < text.size() && command.words.size() < 16) {
    const char c = text[at];
    if (c == '\n' || c == ';' || c == '|' || c == '&' || c == ')' || c == '`' || c == '>') break;
    if (text.substr(at, 3) == "<<<") {
      auto word = parse_shell_word(text, skip_blanks(text, at + 3));
      if (!word || word->end == word->begin) return std::nullopt;
      at = skip_blanks(text, word->end);
      command.here_string = std::move(word);
      continue;
    }
    if (is_shell_separator(c)) break;
    auto word = parse_shell_word(text, at);
    if (!word || word->end == word->begin) return std::nullopt;
    at = skip_blanks(text, word->end);
    command.words.push_back(std::move(*word));
  }
  if (command.words.empty()) return std::nullopt;
  command.end = at;
  return command;
}

bool has_flag(const Command& command, std::string_view flag) {
  for (size_t i = 1; i < command.words.size(); ++i)
    if (command.words[i].value == flag) return true;
  return false;
}

bool short_flags_include(const Command& command, char flag) {
  for (size_t i = 1; i < command.words.size(); ++i) {
    const std::string& word = command.words[i].value;
    if (word.size() >= 2 && word[0] == '-' && word[1] != '-' &&
        word.find(flag) != std::string::npos)
      return true;
  }
  return false;
}

std::string program_name(const Command& command) {
  const std::string& first = command.words.front().value;
  size_t slash = first.rfind('/');
  return slash == std::string::npos ? first : first.substr(slash + 1);
}

std::optional<Filter> filter_of(const Command& command) {
  const std::string name = program_name(command);
  if (name == "base64" && (short_flags_include(command, 'd') || short_flags_include(command, 'D') ||
                           has_flag(command, "--decode")))
    return Filter::Base64;
  if (name == "openssl" && command.words.size() >= 3 &&
      (command.words[1].value == "base64" || command.words[1].value == "enc") &&
      has_flag(command, "-d"))
    return Filter::Base64;
  if (name == "gunzip" || name == "zcat" || (name == "gzip" && short_flags_include(command, 'd')))
    return Filter::Gunzip;
  if (name == "xxd" && (short_flags_include(command, 'r')) && short_flags_include(command, 'p'))
    return Filter::Hex;
  if (name == "rev" && command.words.size() == 1) return Filter::Reverse;
  return std::nullopt;
}

bool is_shell_program(const Command& command) {
  static constexpr std::string_view kShells[] = {"sh", "bash", "zsh", "dash", "ksh"};
  std::string name = program_name(command);
  size_t first_argument = 1;
  if (name == "env" && command.words.size() >= 2) {
    name = command.words[1].value;
    first_argument = 2;
  }
  bool known = false;
  for (auto shell : kShells)
    known |= name == shell;
  if (!known) return false;
  for (size_t i = first_argument; i < command.words.size(); ++i)
    if (command.words[i].value != "-" && command.words[i].value != "-s") return false;
  return true;
}

// The producer: echo [-n|-e] <word> or printf ['%s'] <word>; the data word.
std::optional<std::string> echoed_data(const Command& command) {
  const std::string name = program_name(command);
  if (name != "echo" && name != "printf") return std::nullopt;
  std::vector<const ShellWord*> arguments;
  for (size_t i = 1; i < command.words.size(); ++i) {
    const ShellWord& word = command.words[i];
    if (name == "echo" && word.value.size() >= 2 && word.value[0] == '-' &&
        word.value.find_first_not_of("neE", 1) == std::string::npos && arguments.empty())
      continue;
    if (name == "printf" && (word.value == "%s" || word.value == "%s\\n") && arguments.empty() &&
        i + 1 < command.words.size())
      continue;
    arguments.push_back(&word);
  }
  if (arguments.size() != 1 || !arguments[0]->constant) return std::nullopt;
  if (name == "printf" && arguments[0]->value.find('%') != std::string::npos) return std::nullopt;
  return arguments[0]->value;
}

std::optional<std::string> hex_to_bytes(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (is_space(c)) continue;
    int value = hex_value(c);
    if (value < 0) return std::nullopt;
    if (high < 0) {
      high = value;
    } else {
      out.push_back(static_cast<char>(high * 16 + value));
      high = -1;
    }
  }
  return out;
}

std::string reverse_lines(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    out.append(line.rbegin(), line.rend());
    if (end == text.size()) break;
    out.push_back('\n');
    start = end + 1;
  }
  return out;
}

std::optional<std::string> run_filters(std::string data, const std::vector<Filter>& filters,
                                       Budget& budget) {
  for (Filter filter : filters) {
    switch (filter) {
      case Filter::Base64: {
        auto decoded = decode_base64(trim(data));
        if (!decoded) return std::nullopt;
        data = std::move(*decoded);
        break;
      }
      case Filter::Gunzip: {
        auto inflated =
            inflate_within(data, sniff_compression(data).value_or(Compression::Gzip), budget);
        if (!inflated) return std::nullopt;
        data = std::move(*inflated);
        break;
      }
      case Filter::Hex: {
        auto bytes = hex_to_bytes(data);
        if (!bytes) return std::nullopt;
        data = std::move(*bytes);
        break;
      }
      case Filter::Reverse:
        data = reverse_lines(trim(data));
        break;
    }
  }
  return data;
}

// A pipeline starting at pos (a word start), or nullopt.
std::optional<Pipeline> pipeline_at(std::string_view text, size_t pos) {
  auto first = command_at(text, pos);
  if (!first) return std::nullopt;
  Pipeline pipeline;
  pipeline.begin = pos;
  size_t end = first->end;
  if (auto data = echoed_data(*first)) {
    pipeline.data = std::move(*data);
  } else if (first->here_string && first->here_string->constant) {
    auto filter = filter_of(*first);
    if (!filter) return std::nullopt;
    pipeline.data = first->here_string->value;
    pipeline.filters.push_back(*filter);
  } else {
    return std::nullopt;
  }
  while (end < text.size() && text[end] == '|' && text.substr(end, 2) != "||") {
    auto next = command_at(text, end + 1);
    if (!next) break;
    if (auto filter = filter_of(*next)) {
      pipeline.filters.push_back(*filter);
      end = next->end;
      continue;
    }
    if (is_shell_program(*next) && !next->here_string) {
      pipeline.executed = true;
      end = next->end;
    }
    break;
  }
  if (pipeline.filters.empty()) return std::nullopt;
  while (end > pos && is_blank(text[end - 1]))
    --end;
  pipeline.end = end;
  return pipeline;
}

// Widens a pipeline over $( ... ) or `...`, "..." around that, and eval / bash -c / sh -c / a
// shell fed by <<< before it, which run its output.
void widen(std::string_view text, Pipeline& pipeline) {
  size_t before = pipeline.begin;
  while (before > 0 && is_blank(text[before - 1]))
    --before;
  size_t after = skip_blanks(text, pipeline.end);
  if (before >= 2 && text.substr(before - 2, 2) == "$(" && after < text.size() &&
      text[after] == ')') {
    pipeline.begin = before - 2;
    pipeline.end = after + 1;
  } else if (before >= 1 && text[before - 1] == '`' && after < text.size() && text[after] == '`') {
    pipeline.begin = before - 1;
    pipeline.end = after + 1;
  } else {
    return;
  }
  pipeline.captured = true;
  if (pipeline.executed) return;
  size_t begin = pipeline.begin;
  size_t end = pipeline.end;
  if (begin > 0 && text[begin - 1] == '"' && end < text.size() && text[end] == '"') {
    --begin;
    ++end;
  }
  size_t word_end = begin;
  while (word_end > 0 && is_blank(text[word_end - 1]))
    --word_end;
  std::string_view line =
      text.substr(line_start(text, word_end), word_end - line_start(text, word_end));
  for (std::string_view runner : {"eval", "bash -c", "sh -c", "bash <<<", "sh <<<", "zsh -c"}) {
    if (line.size() >= runner.size() && line.substr(line.size() - runner.size()) == runner &&
        (line.size() == runner.size() ||
         is_shell_separator(line[line.size() - runner.size() - 1]))) {
      pipeline.begin = word_end - runner.size();
      pipeline.end = end;
      pipeline.executed = true;
      return;
    }
  }
}

bool wanted(const Pipeline& pipeline, PipelineKind kind) {
  bool only_reverse = true;
  for (Filter filter : pipeline.filters)
    only_reverse &= filter == Filter::Reverse;
  return kind == PipelineKind::Reversing ? only_reverse : !only_reverse;
}

}  // namespace

std::optional<Rewrite> rewrite_pipelines(const TransformInput& input, PipelineKind kind) {
  const std::string_view text = input.text;
  if (kind == PipelineKind::Reversing ? text.find("rev") == std::string_view::npos
                                      : (text.find("base64") == std::string_view::npos &&
                                         text.find("gunzip") == std::string_view::npos &&
                                         text.find("zcat") == std::string_view::npos &&
                                         text.find("gzip") == std::string_view::npos &&
                                         text.find("xxd") == std::string_view::npos))
    return std::nullopt;
  Rewriter out(text);
  size_t produced = 0;
  bool compressed = false;
  size_t i = 0;
  while (i < text.size()) {
    if (comment_starts(text, i, Syntax::Shell)) {
      i = skip_literal_or_comment(text, i, Syntax::Shell);
      continue;
    }
    const char c = text[i];
    // Single-quoted text is data; double-quoted text is searched too, for "$(echo ... | ...)".
    if (c == '\'' || (c == '$' && i + 1 < text.size() && text[i + 1] == '\'')) {
      size_t skipped = skip_literal_or_comment(text, i, Syntax::Shell);
      i = skipped > i ? skipped : i + 1;
      continue;
    }
    bool word_start = at_shell_word_start(text, i) || (i > 0 && text[i - 1] == '`');
    if ((!is_alpha(c) && c != '/') || !word_start) {
      ++i;
      continue;
    }
    auto pipeline = pipeline_at(text, i);
    if (!pipeline || !wanted(*pipeline, kind)) {
      ++i;
      continue;
    }
    widen(text, *pipeline);
    auto value = run_filters(std::move(pipeline->data), pipeline->filters, input.budget);
    if (!value || pipeline->begin < out.position()) {
      i = pipeline->end;
      continue;
    }
    auto text_value = bytes_as_text(*value);
    if (!text_value) {
      i = pipeline->end;
      continue;
    }
    std::string replacement;
    if (pipeline->executed) {
      replacement = std::move(*text_value);
    } else {
      while (!text_value->empty() && text_value->back() == '\n')
        text_value->pop_back();  // $( ) drops trailing newlines; echo adds one back
      replacement = pipeline->captured ? shell_word(*text_value)
                                       : "echo " + quote_literal(*text_value, Syntax::Shell);
    }
    if (!fit_in_layer(replacement, produced, input.budget)) break;
    for (Filter filter : pipeline->filters)
      compressed |= filter == Filter::Gunzip;
    out.replace(pipeline->begin, pipeline->end, replacement);
    i = pipeline->end;
  }
  if (!out.changed()) return std::nullopt;
  Rewrite rewrite{std::move(out).finish(), std::nullopt, std::nullopt};
  if (kind == PipelineKind::Decoding) rewrite.language = Language::Shell;
  if (compressed) rewrite.obfuscation = ObfuscationClass::Compression;
  return rewrite;
}

std::optional<Rewrite> decode_shell_base64_pipes(const TransformInput& input) {
  return rewrite_pipelines(input, PipelineKind::Decoding);
}

std::optional<Rewrite> reverse_shell_strings(const TransformInput& input) {
  return rewrite_pipelines(input, PipelineKind::Reversing);
}

}  // namespace script_analysis
