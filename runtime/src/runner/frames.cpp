#include "runner/frames.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace secpilot::runner {

std::string message_string(const boost::json::object& message, std::string_view key) {
  const auto* value = message.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::int64_t message_number(const boost::json::object& message, std::string_view key) {
  const auto* value = message.if_contains(key);
  return value && value->is_int64() ? value->get_int64() : 0;
}

std::string encode_frame(std::string_view json) {
  const auto size = static_cast<std::uint32_t>(json.size());
  std::string frame;
  frame.reserve(kFrameHeaderBytes + json.size());
  frame.push_back(static_cast<char>((size >> 24) & 0xff));
  frame.push_back(static_cast<char>((size >> 16) & 0xff));
  frame.push_back(static_cast<char>((size >> 8) & 0xff));
  frame.push_back(static_cast<char>(size & 0xff));
  frame.append(json);
  return frame;
}

std::string encode_frame(const boost::json::object& message) {
  return encode_frame(boost::json::serialize(message));
}

Expected<std::optional<boost::json::object>> FrameDecoder::next() {
  if (broken_) return make_error(Status::internal, "the frame stream is already out of step");
  auto fail = [this](std::string message) -> Expected<std::optional<boost::json::object>> {
    broken_ = true;
    return make_error(Status::internal, std::move(message));
  };
  if (pending_bytes() < kFrameHeaderBytes) return std::optional<boost::json::object>{};
  const auto* head = reinterpret_cast<const unsigned char*>(buffer_.data() + consumed_);
  const std::size_t size = (std::size_t{head[0]} << 24) | (std::size_t{head[1]} << 16) |
                           (std::size_t{head[2]} << 8) | std::size_t{head[3]};
  if (size > max_frame_bytes_)
    return fail("a frame announced " + std::to_string(size) + " bytes, over the limit of " +
                std::to_string(max_frame_bytes_));
  if (pending_bytes() - kFrameHeaderBytes < size) return std::optional<boost::json::object>{};

  const std::string_view text(buffer_.data() + consumed_ + kFrameHeaderBytes, size);
  boost::system::error_code error;
  // Each message gets a monotonic arena of its own: one allocation instead of one per member,
  // and nothing to free member by member; it lives as long as the message (or a moved-from
  // part of it) does.
  auto value = boost::json::parse(
      text, error, boost::json::make_shared_resource<boost::json::monotonic_resource>(size + 1024));
  consumed_ += kFrameHeaderBytes + size;
  // Keep the buffer from growing without bound: drop what was consumed once it is most of it.
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ * 2 > buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  if (error) return fail("a frame is not JSON: " + error.message());
  auto* object = value.if_object();
  if (!object) return fail("a frame is not a JSON object");
  const auto* type = object->if_contains("type");
  if (!type || !type->is_string()) return fail("a frame has no string member \"type\"");
  return std::optional<boost::json::object>(std::move(*object));
}

}  // namespace secpilot::runner
