// Test support for the `tajo connectors sync|status` tests (tests only): a tajo.yaml that points
// at the emulators of a sync::testing::SyncTestEnv, so that the CLI (in-process or the tajo
// binary) syncs the same portal and account, into the same store file, as the env inspects.
//
// Header-only; plain functions.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sync/sync_test_env.h"

namespace tajo::cli::testing {

// The managed lists contact_sync_test uses.
inline const std::string kSyncTestLists =
    "    lists:\n"
    "      all_contacts: \"HubSpot contacts\"\n"
    "      qualified_leads: \"Qualified leads\"\n"
    "      customers: \"Customers\"\n"
    "    default_country: US\n";

// A fresh directory under the temp directory, named after the running test and this process.
inline std::filesystem::path MakeTestDir(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              (prefix + "_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" +
                               info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `path`: env's emulators and credentials, `store` as the store, `extra_hubspot` (lines
// under connectors.hubspot, 4-space indent). Returns `path`.
inline std::string WriteSyncConfig(sync::testing::SyncTestEnv& env, const std::filesystem::path& path,
                                   const std::string& store, const std::string& extra_hubspot) {
  const Config& c = env.config();
  std::ostringstream y;
  y << "connectors:\n"
    << "  hubspot:\n"
    << "    access_token: \"" << c.connectors.hubspot.access_token << "\"\n"
    << "    base_url: " << c.connectors.hubspot.base_url << "\n"
    << "    direction: hubspot_to_brevo\n"
    << "    plan: enterprise\n"
    << "    rate_limits: {per_10s: 10000, search_per_second: 1000}\n"
    << extra_hubspot << "brevo:\n"
    << "  api_key: \"" << c.brevo.api_key << "\"\n"
    << "  base_url: " << c.brevo.base_url << "\n"
    << "  plan: advanced\n"
    << "store: \"" << store << "\"\n";
  std::ofstream(path) << y.str();
  return path.string();
}

// Starts `binary args...` with stdout in `out` and stderr in `err` (files, truncated). Returns
// the child's pid (-1 when fork failed).
inline pid_t SpawnProcess(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {  // only async-signal-safe calls until exec
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0) ::_exit(126);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace tajo::cli::testing
