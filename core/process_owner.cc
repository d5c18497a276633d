#include "core/process_owner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

namespace tajo {

std::string ThisProcessOwner(Clock& clock) {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}:{}", host, static_cast<long>(getpid()), clock.NowMicros());
}

bool OwnerIsDeadHere(const std::string& owner) {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) return false;
  const size_t a = owner.find(':');
  if (a == std::string::npos || owner.substr(0, a) != host) return false;
  const size_t b = owner.find(':', a + 1);
  const std::string pid_text = owner.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  char* end = nullptr;
  const long pid = std::strtol(pid_text.c_str(), &end, 10);
  if (end == pid_text.c_str() || *end != '\0' || pid <= 0) return false;
  if (pid == static_cast<long>(getpid())) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace tajo
