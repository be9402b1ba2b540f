// The server's own view of an HTTP exchange, independent of the HTTP library, so routes are
// plain functions from HttpRequest to HttpResponse that tests call without sockets.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace securescore::server {

// Header names compare case-insensitively (RFC 9110).
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};

struct HttpRequest {
  std::string method;  // "GET", "PATCH", …
  std::string path;    // decoded, without the query string
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;

  std::string Header(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is this shared text instead (a cached document sent without a copy).
  std::shared_ptr<const std::string> shared_body;

  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }
};

// {"error":{"code","message","where"}} with `status`.
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                           std::string_view where = {});
HttpResponse JsonResponse(int status, std::string body);
HttpResponse JsonResponse(int status, std::shared_ptr<const std::string> body);

}  // namespace securescore::server
