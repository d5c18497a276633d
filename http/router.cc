#include <set>
#include <string_view>
#include <utility>

#include "core/log.h"
#include "http/server.h"

namespace tajo::http {
namespace {

// "/a/b%20c/" -> {"a", "b%20c", ""}. "/" -> {""}. A path not starting with '/' -> {} (never matches).
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path.front() != '/') return out;
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.emplace_back(path.substr(start));
      break;
    }
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, size_t from, std::string_view sep) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += sep;
    out += parts[i];
  }
  return out;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Route route;
  route.method = std::move(method);
  route.handler = std::move(handler);
  std::string problem;
  std::set<std::string> names;
  std::vector<std::string> parts = SplitPath(pattern);
  if (parts.empty()) problem = "the pattern must start with '/'";
  for (size_t i = 0; i < parts.size() && problem.empty(); ++i) {
    const std::string& part = parts[i];
    bool opens = part.find('{') != std::string::npos, closes = part.find('}') != std::string::npos;
    if (!opens && !closes) {
      route.segments.push_back({Segment::kLiteral, UrlDecode(part)});
      continue;
    }
    if (part.size() < 3 || part.front() != '{' || part.back() != '}' ||
        part.find_first_of("{}", 1) != part.size() - 1) {
      problem = "segment '" + part + "' must be a literal or a whole {name}";
      break;
    }
    std::string name = part.substr(1, part.size() - 2);
    Segment::Kind kind = Segment::kParam;
    if (name.size() > 3 && name.ends_with("...")) {
      name.resize(name.size() - 3);
      kind = Segment::kCatchAll;
      if (i + 1 != parts.size()) {
        problem = "catch-all segment '" + part + "' must be the last one";
        break;
      }
    }
    if (name.empty() || name.find('.') != std::string::npos) {
      problem = "segment '" + part + "' has an invalid parameter name";
      break;
    }
    if (!names.insert(name).second) {
      problem = "parameter '" + name + "' appears twice";
      break;
    }
    route.segments.push_back({kind, std::move(name)});
  }
  if (!problem.empty()) {
    Log().Error("http.router", "invalid route pattern; the route will never match",
                {{"method", route.method}, {"pattern", pattern}, {"problem", problem}});
    route.valid = false;
  }
  routes_.push_back(std::move(route));
}

void Router::SetNotFound(Handler handler) { not_found_ = std::move(handler); }

void Router::SetMethodNotAllowed(Handler handler) { method_not_allowed_ = std::move(handler); }

bool Router::Match(const Route& route, const std::vector<std::string>& path_segments,
                   std::map<std::string, std::string>* params) {
  if (!route.valid || path_segments.empty()) return false;
  params->clear();
  const auto& pattern = route.segments;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const Segment& seg = pattern[i];
    if (seg.kind == Segment::kCatchAll) {
      if (i >= path_segments.size()) return false;  // "/files/{p...}" needs at least "/files/"
      (*params)[seg.text] = UrlDecode(Join(path_segments, i, "/"));
      return true;
    }
    if (i >= path_segments.size()) return false;
    std::string decoded = UrlDecode(path_segments[i]);
    if (seg.kind == Segment::kLiteral) {
      if (decoded != seg.text) return false;
    } else {
      if (decoded.empty()) return false;
      (*params)[seg.text] = std::move(decoded);
    }
  }
  return pattern.size() == path_segments.size();
}

HttpResponse Router::Handle(HttpRequest& request) const {
  std::vector<std::string> segments = SplitPath(request.RawPath());
  std::map<std::string, std::string> params;
  const Route* get_fallback = nullptr;
  std::map<std::string, std::string> get_params;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (!Match(route, segments, &params)) continue;
    if (route.method == request.method) {
      request.path_params = std::move(params);
      return route.handler(request);
    }
    if (request.method == "HEAD" && route.method == "GET" && get_fallback == nullptr) {
      get_fallback = &route;
      get_params = params;
    }
    bool seen = false;
    for (const auto& m : allowed) seen = seen || m == route.method;
    if (!seen) allowed.push_back(route.method);
  }
  if (get_fallback != nullptr) {
    request.path_params = std::move(get_params);
    return get_fallback->handler(request);
  }
  if (!allowed.empty()) {
    request.path_params.clear();
    HttpResponse response =
        method_not_allowed_ ? method_not_allowed_(request) : HttpResponse::Text(405, "Method Not Allowed\n");
    response.headers.Set("Allow", Join(allowed, 0, ", "));
    return response;
  }
  request.path_params.clear();
  if (not_found_) return not_found_(request);
  return HttpResponse::Text(404, "Not Found\n");
}

Handler Router::AsHandler() const {
  return [this](HttpRequest& request) { return Handle(request); };
}

}  // namespace tajo::http
