#include "securescore/server/http.h"

#include <algorithm>
#include <cctype>

#include "securescore/catalog/json_writer.h"

namespace securescore::server {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string HttpRequest::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> HttpRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                           std::string_view where) {
  catalog::JsonWriter w;
  w.BeginObject().Key("error").BeginObject();
  w.Key("code").String(code).Key("message").String(message).Key("where").String(where);
  w.EndObject().EndObject();
  return JsonResponse(status, w.str());
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse JsonResponse(int status, std::shared_ptr<const std::string> body) {
  HttpResponse r;
  r.status = status;
  r.shared_body = std::move(body);
  return r;
}

}  // namespace securescore::server
