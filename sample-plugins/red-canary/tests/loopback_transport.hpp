// The core's Transport as a plain blocking HTTP/1.1 client, for tests of the core against the
// Red Canary fake on 127.0.0.1 without a host. A refused or closed connection throws
// Error(upstream), as the host's client reports it.
#pragma once

#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "red_canary/errors.hpp"
#include "red_canary/http.hpp"

namespace red_canary::testing {

inline Transport loopback_transport() {
  return [](const HttpRequest& request) {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    const auto url = boost::urls::parse_uri(request.url).value();
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    boost::system::error_code ec;
    const auto port = static_cast<unsigned short>(url.port_number());
    socket.connect({asio::ip::make_address(std::string(url.host())), port}, ec);
    if (ec) throw Error(ErrorKind::upstream, "connecting to " + request.url + ": " + ec.message());

    http::request<http::string_body> out;
    out.method_string(request.method);
    out.target(url.encoded_resource());
    out.version(11);
    out.set(http::field::host, url.encoded_host_and_port());
    for (const auto& [name, value] : request.headers)
      out.insert(name, value);
    out.body() = request.body;
    out.prepare_payload();
    http::write(socket, out, ec);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> in;
    if (!ec) http::read(socket, buffer, in, ec);
    if (ec)
      throw Error(
          ErrorKind::upstream,
          "127.0.0.1 closed the connection before sending a response (" + ec.message() + ")");
    HttpResponse response;
    response.status = static_cast<int>(in.result_int());
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (char& c : name)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      response.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    response.body = in.body();
    return response;
  };
}

}  // namespace red_canary::testing
