// Writes one frame (length prefix, then a flat JSON object) straight into a reusable buffer,
// byte for byte what encode_frame() makes of a boost::json::object with the same members in the
// same order, but without building that object: every call's invoke and result frame goes
// through here, so that sending one costs one buffer and one syscall.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace secpilot::runner {

class FrameWriter {
 public:
  // Starts a frame in `out`, replacing what it held (its capacity is kept for the next frame).
  explicit FrameWriter(std::string& out);

  FrameWriter& string(std::string_view key, std::string_view value);
  FrameWriter& number(std::string_view key, std::int64_t value);
  FrameWriter& number(std::string_view key, std::uint64_t value);

  // Closes the object and fills in the length prefix; the whole frame, ready to send.
  std::string_view finish();

 private:
  void key(std::string_view name);
  void quoted(std::string_view text);  // escaped as Boost.JSON's serializer escapes

  std::string& out_;
  bool first_ = true;
};

}  // namespace secpilot::runner
