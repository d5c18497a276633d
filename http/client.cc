#include "http/client.h"

#include <utility>

namespace tajo::http {

std::vector<Result<HttpResponse>> Transport::SendAll(const std::vector<ClientRequest>& requests) {
  std::vector<Result<HttpResponse>> results;
  results.reserve(requests.size());
  for (const auto& request : requests) results.push_back(Send(request));
  return results;
}

bool RequestNotSent(const Status& status) {
  return !status.ok() && status.message().find(kRequestNotSentPrefix) != std::string::npos;
}

Status NotSentError(StatusCode code, std::string_view message) {
  std::string m(kRequestNotSentPrefix);
  m.append(message);
  return Status(code, std::move(m));
}

}  // namespace tajo::http
