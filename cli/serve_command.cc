// `tajo serve`: starts server::Service and waits for SIGTERM/SIGINT.
#include <signal.h>

#include <ostream>

#include "cli/serve_commands.h"
#include "core/log.h"
#include "server/service.h"

namespace tajo::cli {

int RunServe(const GlobalOptions& global, std::ostream& out, std::ostream& err) {
  // Every thread started from here on inherits the mask: the signals come to sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto config = LoadConfigForCommand(global, err);
  if (!config) return 1;
  auto service = server::Service::Start(*config);
  if (!service.ok()) {
    err << "error: tajo serve cannot start: " << service.status().message() << "\n";
    return 1;
  }
  out << "tajo serve: listening on " << (*service)->base_url() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  Log().Info("serve", received == SIGINT ? "SIGINT received" : "SIGTERM received");
  (*service)->Shutdown();
  out << "tajo serve: stopped" << std::endl;
  return 0;
}

}  // namespace tajo::cli
