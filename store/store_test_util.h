// Test helpers of the store tests: a per-test temporary directory, raw SQLite access (to damage a
// database the way a person or a disk could), and running code as an unprivileged user.
//
// Test-only. Not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

namespace tajo::store::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tajo-store-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp " << pattern;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A path inside the directory.
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// Runs `sql` on the database file through a plain sqlite3 connection (no tajo code involved).
// Returns "" on success, else SQLite's error message.
inline std::string RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  std::string error;
  if (rc == SQLITE_OK) {
    char* msg = nullptr;
    rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) error = msg != nullptr ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
  } else {
    error = sqlite3_errstr(rc);
  }
  sqlite3_close(db);
  return error;
}

// The first column of the first row of `sql`, as text ("" when there is none).
inline std::string RawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

// Runs `fn` in a child process; returns what it returned, or nullopt when the child failed.
// `fn` runs after fork: it must not rely on other threads of this process.
inline std::optional<std::string> RunInChild(const std::function<std::string()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  pid_t pid = fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    close(fds[0]);
    std::string out = fn();
    ssize_t written = write(fds[1], out.data(), out.size());
    _exit(written == static_cast<ssize_t>(out.size()) ? 0 : 1);  // no atexit handlers, no LSan
  }
  close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

// Runs `fn` as an unprivileged user: directly when we are not root, else in a child that drops to
// nobody (65534). nullopt only when privileges cannot be dropped (the caller skips the test); a
// child that crashes yields a message that fails the caller's assertions.
inline std::optional<std::string> RunUnprivileged(const std::function<std::string()>& fn) {
  if (geteuid() != 0) return fn();
  static const std::string kNoPrivilegeDrop =
      "\x01"
      "cannot drop privileges";
  std::optional<std::string> out = RunInChild([&]() -> std::string {
    if (setgid(65534) != 0 || setuid(65534) != 0) return kNoPrivilegeDrop;
    return fn();
  });
  if (!out) return std::string("the unprivileged child process failed or crashed");
  if (*out == kNoPrivilegeDrop) return std::nullopt;
  return out;
}

}  // namespace tajo::store::testing
