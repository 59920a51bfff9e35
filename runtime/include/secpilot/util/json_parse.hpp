// JSON parsing for the request path: boost::json::parse keeps its working stack on the heap
// whatever storage the document gets, this keeps it on the calling thread's stack.
#pragma once

#include <string_view>
#include <utility>

#include <boost/json/parser.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

namespace secpilot {

// `text` as a document whose memory comes from `storage`; null with `error` set when it is not
// JSON. With an arena for `storage`, a document of a few KB is parsed without touching the heap.
inline boost::json::value parse_json(std::string_view text, boost::system::error_code& error,
                                     boost::json::storage_ptr storage = {}) {
  unsigned char scratch[1024];  // the parser's stack of open arrays, objects and keys
  boost::json::parser parser(boost::json::storage_ptr(), {}, scratch);
  parser.reset(std::move(storage));
  parser.write(text, error);
  if (error) return nullptr;
  return parser.release();
}

}  // namespace secpilot
