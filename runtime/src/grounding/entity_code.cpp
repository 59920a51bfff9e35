// Scripts and KQL: fenced blocks (```powershell ... ```), pasted code (runs of code lines),
// one-line command lines, and KQL queries (fenced, or "Table | where ..." in the text).
#include <optional>

#include "grounding/entity_chars.hpp"
#include "grounding/entity_code_lines.hpp"
#include "grounding/entity_scan.hpp"

namespace secpilot::grounding::detail {
namespace {

constexpr std::size_t kMinOneLineScript = 24;  // a single code line shorter than this is noise

struct Line {
  std::size_t start = 0;
  std::size_t end = 0;   // without the line break
  std::size_t next = 0;  // start of the next line
};

Line line_at(std::string_view text, std::size_t pos) noexcept {
  const auto newline = text.find('\n', pos);
  Line line{pos, newline == std::string_view::npos ? text.size() : newline,
            newline == std::string_view::npos ? text.size() : newline + 1};
  if (line.end > line.start && text[line.end - 1] == '\r') --line.end;
  return line;
}

struct Fence {
  char mark = '`';
  std::size_t length = 0;
  std::string_view info;
};

// "```lang" or "~~~": up to three spaces, then three or more backticks or tildes.
std::optional<Fence> fence_open(std::string_view line) noexcept {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ')
    ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return std::nullopt;
  const char mark = line[i];
  const std::size_t start = i;
  while (i < line.size() && line[i] == mark)
    ++i;
  if (i - start < 3) return std::nullopt;
  std::string_view info = line.substr(i);
  while (!info.empty() && is_space(info.front()))
    info.remove_prefix(1);
  if (mark == '`' && info.find('`') != std::string_view::npos) return std::nullopt;  // inline code
  return Fence{mark, i - start, info};
}

bool fence_closes(std::string_view line, const Fence& fence) noexcept {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ')
    ++i;
  const std::size_t start = i;
  while (i < line.size() && line[i] == fence.mark)
    ++i;
  if (i - start < fence.length) return false;
  while (i < line.size() && is_space(line[i]))
    ++i;
  return i == line.size();
}

bool indented(std::string_view line) noexcept {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

class CodeScanner {
 public:
  explicit CodeScanner(ScanState& state) : state_(state), text_(state.text) {}

  void run() {
    std::size_t pos = 0;
    while (pos < text_.size()) {
      const Line line = line_at(text_, pos);
      const std::string_view content = view(line);
      if (auto fence = fence_open(content)) {
        flush_run();
        pos = fenced_block(*fence, line.next);
        continue;
      }
      if (auto kql_start = kql_start_at(line)) {
        flush_run();
        pos = kql_query(*kql_start, line);
        continue;
      }
      add_line(line, content);
      pos = line.next;
    }
    flush_run();
  }

 private:
  std::string_view view(const Line& line) const {
    return text_.substr(line.start, line.end - line.start);
  }

  // Where a KQL query starts on this line (counting "let ...;" lines right before it), if one does.
  std::optional<std::size_t> kql_start_at(const Line& line) {
    const std::string_view content = view(line);
    if (auto at = kql_query_start(content)) return line.start + *at;
    if (is_kql_table_line(content) && line.next < text_.size() &&
        is_kql_pipe_line(view(line_at(text_, line.next))))
      return line.start + leading(line);
    // Let lines, then a query. A run of let lines found to lead nowhere is not looked through
    // again from each of its lines (that would be quadratic in the run).
    if (line.start >= lets_lead_nowhere_until_ && is_kql_let_line(content)) {
      Line next = line_at(text_, line.next);
      while (next.start < text_.size() && is_kql_let_line(view(next)))
        next = line_at(text_, next.next);
      if (next.start < text_.size() &&
          (kql_query_start(view(next)) ||
           (is_kql_table_line(view(next)) && next.next < text_.size() &&
            is_kql_pipe_line(view(line_at(text_, next.next))))))
        return line.start + leading(line);
      lets_lead_nowhere_until_ = next.start;
    }
    return std::nullopt;
  }

  // The query from `start` (on `line`) through its pipe and indented lines; returns where
  // scanning resumes.
  std::size_t kql_query(std::size_t start, const Line& line) {
    std::size_t end = line.end;
    std::size_t resume = line.next;
    if (start > line.start && text_[start - 1] == '`') {  // inline: `Table | where ...`
      const auto close = view(line).find('`', start - line.start);
      if (close != std::string_view::npos) end = line.start + close;
      emit(Kind::kql, start, end);
      return resume;
    }
    // "let x = ...;" lines come before the tabular expression; the table line ends them.
    bool preamble = is_kql_let_line(view(line));
    while (resume < text_.size()) {
      const Line next = line_at(text_, resume);
      const std::string_view content = view(next);
      bool continues =
          is_kql_pipe_line(content) ||
          (indented(content) && classify_line(content) != LineKind::blank && !fence_open(content));
      if (preamble && !continues) {
        preamble = is_kql_let_line(content);
        continues = preamble || is_kql_table_line(content) || kql_query_start(content).has_value();
      }
      if (!continues) break;
      end = next.end;
      resume = next.next;
    }
    while (end > start &&
           (text_[end - 1] == '?' || text_[end - 1] == '.' || is_space(text_[end - 1])))
      --end;
    emit(Kind::kql, start, end);
    return resume;
  }

  // A fenced block whose content starts at `content_start`; returns where scanning resumes.
  std::size_t fenced_block(const Fence& fence, std::size_t content_start) {
    std::size_t pos = content_start;
    std::size_t content_end = text_.size();
    std::size_t resume = text_.size();
    bool has_strong_line = false;
    while (pos < text_.size()) {
      const Line line = line_at(text_, pos);
      if (fence_closes(view(line), fence)) {
        content_end = line.start;
        resume = line.next;
        break;
      }
      has_strong_line = has_strong_line || classify_line(view(line)) == LineKind::strong_code;
      pos = line.next;
    }
    switch (fence_tag(fence.info)) {
      case FenceTag::kql:
        emit(Kind::kql, content_start, content_end);
        break;
      case FenceTag::script:
        emit(Kind::script, content_start, content_end);
        break;
      case FenceTag::untagged: {
        const Line first = line_at(text_, first_non_blank(content_start, content_end));
        if (first.start < content_end && kql_start_at(first) == first.start + leading(first))
          emit(Kind::kql, content_start, content_end);
        else if (has_strong_line)
          emit(Kind::script, content_start, content_end);
        else
          commands_in(content_start, content_end);
        break;
      }
      case FenceTag::data:
        commands_in(content_start, content_end);
        break;
    }
    return resume;
  }

  std::size_t first_non_blank(std::size_t start, std::size_t end) const {
    while (start < end) {
      const Line line = line_at(text_, start);
      if (classify_line(view(line)) != LineKind::blank) return start;
      start = line.next;
    }
    return end;
  }

  std::size_t leading(const Line& line) const {
    std::size_t i = line.start;
    while (i < line.end && (text_[i] == ' ' || text_[i] == '\t'))
      ++i;
    return i - line.start;
  }

  // Pasted code: consecutive code lines (one blank line allowed inside), kept when one of them is
  // clearly code and there are two or more, or the one is long enough.
  void add_line(const Line& line, std::string_view content) {
    LineKind kind = classify_line(content);
    if (kind == LineKind::other && run_open_ && indented(content) && !is_prose(content))
      kind = LineKind::weak_code;
    switch (kind) {
      case LineKind::blank:
        if (run_open_ && ++run_blanks_ > 1) flush_run();
        return;
      case LineKind::other:
        flush_run();
        command_in(line);
        return;
      case LineKind::weak_code:
      case LineKind::strong_code:
        if (!run_open_) {
          run_open_ = true;
          run_start_ = line.start;
        }
        run_end_ = line.end;
        run_blanks_ = 0;
        ++run_lines_;
        if (kind == LineKind::strong_code) ++run_strong_;
        return;
    }
  }

  void flush_run() {
    if (!run_open_) return;
    const bool script =
        run_strong_ > 0 && (run_lines_ >= 2 || run_end_ - run_start_ >= kMinOneLineScript);
    if (script)
      emit(Kind::script, run_start_, run_end_);
    else
      commands_in(run_start_, run_end_);
    run_open_ = false;
    run_lines_ = run_strong_ = run_blanks_ = 0;
  }

  void commands_in(std::size_t start, std::size_t end) {
    while (start < end) {
      Line line = line_at(text_, start);
      line.end = line.end < end ? line.end : end;
      command_in(line);
      start = line.next;
    }
  }

  void command_in(const Line& line) {
    if (auto command = find_command(view(line)))
      emit(Kind::script, line.start + command->first, line.start + command->second);
  }

  void emit(Kind kind, std::size_t start, std::size_t end) {
    while (start < end && is_space(text_[start]))
      ++start;
    while (end > start && is_space(text_[end - 1]))
      --end;
    if (start == end) return;
    state_.sink.add_verbatim(kind, start, end);
    state_.add_code_zone(start, end);
  }

  ScanState& state_;
  std::string_view text_;
  std::size_t lets_lead_nowhere_until_ = 0;
  bool run_open_ = false;
  std::size_t run_start_ = 0;
  std::size_t run_end_ = 0;
  std::size_t run_lines_ = 0;
  std::size_t run_strong_ = 0;
  std::size_t run_blanks_ = 0;
};

}  // namespace

void scan_code(ScanState& state) {
  CodeScanner(state).run();
  state.sort_code_zones();
}

}  // namespace secpilot::grounding::detail
