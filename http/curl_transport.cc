// The libcurl Transport (declared in http/client.h).
//
// How connections are reused: every transfer runs inside a curl multi handle taken from a pool
// (most recently used first), and a multi handle keeps the connections its transfers opened in
// its own cache. Send() runs one transfer in a multi, SendAll() runs many in one multi, so
// sequential calls from one thread and batches both reuse warm keep-alive connections, and
// concurrent threads each hold their own multi (a multi is never used by two threads at once).
// DNS results and TLS sessions are shared between all handles through a curl share object with
// one mutex per kind of data. The connection cache itself is deliberately NOT put in the share:
// libcurl documents sharing it between concurrent threads as unsafe.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/log.h"
#include "core/redact.h"
#include "http/client.h"

namespace tajo::http {
namespace {

// curl_global_init is run exactly once per process (a function-local static is initialised
// thread-safely). It is never undone: other transports may live until exit.
const Status& GlobalInit() {
  static const Status status = [] {
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
      return Status::Internal(fmt::format("curl_global_init failed: {}", curl_easy_strerror(rc)));
    }
    return Status::Ok();
  }();
  return status;
}

bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

std::string Where(const ClientRequest& request) {
  return fmt::format("{} {}", request.method, Redact(request.url));
}

// Checks what libcurl would otherwise accept silently or misread: a relative or non-HTTP URL,
// a method or header name that is not a token, CR/LF in a header value (header injection).
Status ValidateRequest(const ClientRequest& request) {
  if (!IsToken(request.method)) {
    return Status::InvalidArgument(
        fmt::format("{}: the method is not a valid HTTP token", Where(request)));
  }
  if (request.timeout_ms <= 0 || request.connect_timeout_ms <= 0) {
    return Status::InvalidArgument(fmt::format(
        "{}: timeout_ms ({}) and connect_timeout_ms ({}) must be positive", Where(request),
        request.timeout_ms, request.connect_timeout_ms));
  }
  CURLU* url = curl_url();
  if (url == nullptr) return Status::Internal("curl_url() failed: out of memory");
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> guard(url, &curl_url_cleanup);
  CURLUcode rc = curl_url_set(url, CURLUPART_URL, request.url.c_str(), 0);
  if (rc != CURLUE_OK) {
    return Status::InvalidArgument(
        fmt::format("{}: not an absolute URL ({})", Where(request), curl_url_strerror(rc)));
  }
  char* scheme = nullptr;
  rc = curl_url_get(url, CURLUPART_SCHEME, &scheme, 0);
  std::string s = rc == CURLUE_OK && scheme != nullptr ? scheme : "";
  curl_free(scheme);
  if (s != "http" && s != "https") {
    return Status::InvalidArgument(
        fmt::format("{}: unsupported scheme '{}' (expected http or https)", Where(request), s));
  }
  for (const auto& [name, value] : request.headers.fields()) {
    if (!IsToken(name)) {
      return Status::InvalidArgument(
          fmt::format("{}: header name '{}' is not a valid HTTP token", Where(request), Redact(name)));
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Status::InvalidArgument(
          fmt::format("{}: the value of header '{}' contains CR, LF or NUL", Where(request), name));
    }
  }
  return Status::Ok();
}

// One request in flight: the easy handle and everything its callbacks write into.
struct Transfer {
  explicit Transfer(const ClientRequest& r, int64_t max_bytes) : request(r), max_body_bytes(max_bytes) {}
  ~Transfer() { curl_slist_free_all(header_list); }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  const ClientRequest& request;
  const int64_t max_body_bytes;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::vector<std::pair<std::string, std::string>> header_fields;  // of the last header block
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  CURLcode code = CURLE_OK;
  bool finished = false;
  bool too_large = false;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {  // a new header block (after 100 Continue, say): start over
    t->header_fields.clear();
    return n;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {  // obsolete line folding
    std::string_view more = Trim(line);
    if (!t->header_fields.empty() && !more.empty()) {
      t->header_fields.back().second.append(" ").append(more);
    }
    return n;
  }
  line = Trim(line);
  if (line.empty()) return n;  // end of the block
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // not a field: ignore it
  t->header_fields.emplace_back(std::string(Trim(line.substr(0, colon))),
                                std::string(Trim(line.substr(colon + 1))));
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (static_cast<int64_t>(t->body.size() + n) > t->max_body_bytes) {
    t->too_large = true;
    return 0;  // anything but n aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

bool IsNotSentCode(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return true;
    default:
      return false;
  }
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const ClientRequest& request) override;
  std::vector<Result<HttpResponse>> SendAll(const std::vector<ClientRequest>& requests) override;

 private:
  // Runs every request in one multi handle until all finish; results in order.
  std::vector<Result<HttpResponse>> Run(const std::vector<const ClientRequest*>& requests);
  Status Configure(Transfer& t);
  Result<HttpResponse> Finish(Transfer& t);

  CURLM* TakeMulti();
  void ReturnMulti(CURLM* multi, bool healthy);
  CURL* TakeEasy();
  void ReturnEasy(CURL* easy);

  static void LockShare(CURL*, curl_lock_data data, curl_lock_access, void* user);
  static void UnlockShare(CURL*, curl_lock_data data, void* user);

  static constexpr size_t kMaxIdleMultis = 32;
  static constexpr size_t kMaxIdleEasies = 64;

  const CurlOptions options_;
  Status init_status_;
  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_mu_;

  std::mutex pool_mu_;
  std::vector<CURLM*> idle_multis_;  // guarded by pool_mu_; back = most recently used
  std::vector<CURL*> idle_easies_;   // guarded by pool_mu_
};

CurlTransport::CurlTransport(CurlOptions options) : options_(std::move(options)) {
  init_status_ = GlobalInit();
  if (!init_status_.ok()) return;
  share_ = curl_share_init();
  if (share_ == nullptr) {
    init_status_ = Status::Internal("curl_share_init failed");
    return;
  }
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlTransport::LockShare);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlTransport::UnlockShare);
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  if (!options_.verify_tls) {
    Log().Warn("http", "TLS certificate verification is OFF for this transport; never do this in production");
  }
}

CurlTransport::~CurlTransport() {
  // Easy handles first, then the multis (closing their cached connections), then the share
  // they all pointed at.
  for (CURL* easy : idle_easies_) curl_easy_cleanup(easy);
  for (CURLM* multi : idle_multis_) curl_multi_cleanup(multi);
  if (share_ != nullptr) curl_share_cleanup(share_);
}

void CurlTransport::LockShare(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  auto* self = static_cast<CurlTransport*>(user);
  self->share_mu_[static_cast<size_t>(data) % CURL_LOCK_DATA_LAST].lock();
}

void CurlTransport::UnlockShare(CURL*, curl_lock_data data, void* user) {
  auto* self = static_cast<CurlTransport*>(user);
  self->share_mu_[static_cast<size_t>(data) % CURL_LOCK_DATA_LAST].unlock();
}

CURLM* CurlTransport::TakeMulti() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_multis_.empty()) {
      CURLM* multi = idle_multis_.back();
      idle_multis_.pop_back();
      return multi;
    }
  }
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return nullptr;
  const long per_host = std::max(1, options_.max_connections_per_host);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, per_host);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, per_host);
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING);
  return multi;
}

void CurlTransport::ReturnMulti(CURLM* multi, bool healthy) {
  if (healthy) {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_multis_.size() < kMaxIdleMultis) {
      idle_multis_.push_back(multi);
      return;
    }
  }
  curl_multi_cleanup(multi);
}

CURL* CurlTransport::TakeEasy() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_easies_.empty()) {
      CURL* easy = idle_easies_.back();
      idle_easies_.pop_back();
      return easy;
    }
  }
  return curl_easy_init();
}

void CurlTransport::ReturnEasy(CURL* easy) {
  curl_easy_reset(easy);  // drops every pointer into the finished Transfer
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_easies_.size() < kMaxIdleEasies) {
    idle_easies_.push_back(easy);
    return;
  }
  curl_easy_cleanup(easy);
}

Status CurlTransport::Configure(Transfer& t) {
  const ClientRequest& r = t.request;
  CURL* e = t.easy;
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode c) {
    if (rc == CURLE_OK) rc = c;
  };
  set(curl_easy_setopt(e, CURLOPT_URL, r.url.c_str()));
  set(curl_easy_setopt(e, CURLOPT_PRIVATE, &t));
  set(curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error));
  set(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(e, CURLOPT_SHARE, share_));
  set(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
#if LIBCURL_VERSION_NUM >= 0x075500
  set(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"));
#else
  set(curl_easy_setopt(e, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS)));
#endif
  set(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout_ms)));
  set(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout_ms)));
  set(curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L));
  set(curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""));  // every encoding libcurl decodes
  set(curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str()));
  set(curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &OnHeader));
  set(curl_easy_setopt(e, CURLOPT_HEADERDATA, &t));
  set(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &OnBody));
  set(curl_easy_setopt(e, CURLOPT_WRITEDATA, &t));
  set(curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L));
  set(curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L));
  if (!options_.ca_bundle.empty()) set(curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_bundle.c_str()));

  // Method and body. A body is sent for POST/PUT/PATCH always (Content-Length: 0 when empty)
  // and for any other method when one is given.
  const std::string& m = r.method;
  const bool sends_body = !r.body.empty() || m == "POST" || m == "PUT" || m == "PATCH";
  if (m == "HEAD") {
    set(curl_easy_setopt(e, CURLOPT_NOBODY, 1L));
  } else if (sends_body) {
    set(curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size())));
    set(curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data()));
    if (m != "POST") set(curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m.c_str()));
  } else if (m == "GET") {
    set(curl_easy_setopt(e, CURLOPT_HTTPGET, 1L));
  } else {
    set(curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m.c_str()));
  }

  // Headers. "Name;" is libcurl's syntax for a header with an empty value; "Name:" removes a
  // header libcurl would add by itself.
  auto add = [&t](const std::string& line) {
    curl_slist* next = curl_slist_append(t.header_list, line.c_str());
    if (next == nullptr) return false;
    t.header_list = next;
    return true;
  };
  bool ok = true;
  for (const auto& [name, value] : r.headers.fields()) {
    ok = ok && add(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!r.headers.Has("Expect")) ok = ok && add("Expect:");  // no 100-continue round trip
  if (sends_body && !r.headers.Has("Content-Type")) {
    ok = ok && add("Content-Type:");  // not libcurl's default application/x-www-form-urlencoded
  }
  if (!ok) return Status::Internal(fmt::format("{}: out of memory building headers", Where(r)));
  set(curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list));

  if (rc != CURLE_OK) {
    return Status::Internal(fmt::format("{}: configuring libcurl failed: {}", Where(r), curl_easy_strerror(rc)));
  }
  return Status::Ok();
}

Result<HttpResponse> CurlTransport::Finish(Transfer& t) {
  const ClientRequest& r = t.request;
  const std::string where = Where(r);
  if (!t.finished) {
    return Status::Internal(fmt::format("{}: libcurl stopped before the transfer finished", where));
  }
  if (t.code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    if (status < 100 || status > 999) {
      return Status::Unavailable(fmt::format("{}: malformed response (no valid status line)", where));
    }
    HttpResponse response;
    response.status = static_cast<int>(status);
    for (auto& [name, value] : t.header_fields) response.headers.Add(std::move(name), std::move(value));
    response.body = std::move(t.body);
    return response;
  }

  const std::string detail = Redact(t.error[0] != '\0' ? t.error : curl_easy_strerror(t.code));
  long request_size = 0;
  curl_easy_getinfo(t.easy, CURLINFO_REQUEST_SIZE, &request_size);
  const bool not_sent = IsNotSentCode(t.code) || request_size == 0;
  auto error = [&](StatusCode code, std::string_view what) {
    std::string message = fmt::format("{}: {} ({})", where, what, detail);
    return not_sent ? NotSentError(code, message) : Status(code, std::move(message));
  };

  switch (t.code) {
    case CURLE_OPERATION_TIMEDOUT:
      return error(StatusCode::kDeadlineExceeded,
                   fmt::format("timed out (timeout {} ms, connect timeout {} ms)", r.timeout_ms,
                               r.connect_timeout_ms));
    case CURLE_URL_MALFORMAT:
      return error(StatusCode::kInvalidArgument, "malformed URL");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return error(StatusCode::kUnavailable, "DNS lookup failed");
    case CURLE_COULDNT_CONNECT:
      return error(StatusCode::kUnavailable, "connection failed");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
      return error(StatusCode::kFailedPrecondition, "TLS certificate verification failed");
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return error(StatusCode::kFailedPrecondition,
                   fmt::format("TLS: cannot use the CA bundle '{}'", options_.ca_bundle));
    case CURLE_SSL_CONNECT_ERROR:
      return error(StatusCode::kUnavailable, "TLS handshake failed");
    case CURLE_PARTIAL_FILE:
      return error(StatusCode::kUnavailable,
                   "truncated response: the connection closed before the whole body arrived");
    case CURLE_GOT_NOTHING:
      return error(StatusCode::kUnavailable, "empty reply: the server closed the connection without answering");
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:  // also what libcurl says for an HTTP/0.9-looking reply
    case CURLE_BAD_CONTENT_ENCODING:
      return error(StatusCode::kUnavailable, "malformed response");
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return error(StatusCode::kUnavailable, "connection error");
    case CURLE_WRITE_ERROR:
      if (t.too_large) {
        return Status::ResourceExhausted(fmt::format("{}: response body larger than {} bytes", where,
                                                     t.max_body_bytes));
      }
      return error(StatusCode::kInternal, "writing the response failed");
    case CURLE_ABORTED_BY_CALLBACK:
      return error(StatusCode::kAborted, "aborted");
    case CURLE_OUT_OF_MEMORY:
      return error(StatusCode::kInternal, "out of memory");
    default:
      return error(StatusCode::kUnavailable, "transfer failed");
  }
}

std::vector<Result<HttpResponse>> CurlTransport::Run(const std::vector<const ClientRequest*>& requests) {
  std::vector<std::optional<Result<HttpResponse>>> results(requests.size());
  auto finish = [&] {
    std::vector<Result<HttpResponse>> out;
    out.reserve(results.size());
    for (auto& r : results) out.push_back(std::move(*r));
    return out;
  };
  if (!init_status_.ok()) {
    for (auto& r : results) r = init_status_;
    return finish();
  }

  CURLM* multi = TakeMulti();
  if (multi == nullptr) {
    for (auto& r : results) r = Status::Internal("curl_multi_init failed");
    return finish();
  }

  std::vector<std::unique_ptr<Transfer>> transfers(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    Status valid = ValidateRequest(*requests[i]);
    if (!valid.ok()) {
      results[i] = valid;
      continue;
    }
    auto t = std::make_unique<Transfer>(*requests[i], std::max<int64_t>(0, options_.max_response_bytes));
    t->easy = TakeEasy();
    if (t->easy == nullptr) {
      results[i] = Status::Internal(fmt::format("{}: curl_easy_init failed", Where(*requests[i])));
      continue;
    }
    Status configured = Configure(*t);
    CURLMcode added = configured.ok() ? curl_multi_add_handle(multi, t->easy) : CURLM_OK;
    if (!configured.ok() || added != CURLM_OK) {
      results[i] = configured.ok() ? Status::Internal(fmt::format("{}: curl_multi_add_handle: {}",
                                                                  Where(*requests[i]), curl_multi_strerror(added)))
                                   : configured;
      ReturnEasy(t->easy);
      continue;
    }
    transfers[i] = std::move(t);
  }

  bool healthy = true;
  int running = 1;
  while (running > 0) {
    CURLMcode mc = curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
      if (t != nullptr) {
        t->code = msg->data.result;
        t->finished = true;
      }
    }
    if (mc != CURLM_OK) {
      healthy = false;
      Log().Warn("http", "curl_multi_perform failed", {{"error", curl_multi_strerror(mc)}});
      break;
    }
    if (running > 0) {
      mc = curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
      if (mc != CURLM_OK) {
        healthy = false;
        Log().Warn("http", "curl_multi_poll failed", {{"error", curl_multi_strerror(mc)}});
        break;
      }
    }
  }

  for (size_t i = 0; i < transfers.size(); ++i) {
    Transfer* t = transfers[i].get();
    if (t == nullptr) continue;
    curl_multi_remove_handle(multi, t->easy);
    results[i] = Finish(*t);
    ReturnEasy(t->easy);
  }
  ReturnMulti(multi, healthy);
  return finish();
}

Result<HttpResponse> CurlTransport::Send(const ClientRequest& request) {
  auto results = Run({&request});
  return std::move(results.front());
}

std::vector<Result<HttpResponse>> CurlTransport::SendAll(const std::vector<ClientRequest>& requests) {
  std::vector<const ClientRequest*> pointers;
  pointers.reserve(requests.size());
  for (const auto& r : requests) pointers.push_back(&r);
  return Run(pointers);
}

}  // namespace

std::unique_ptr<Transport> NewCurlTransport(const CurlOptions& options) {
  return std::make_unique<CurlTransport>(options);
}

}  // namespace tajo::http
