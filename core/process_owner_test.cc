#include "core/process_owner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace tajo {
namespace {

std::string Host() {
  char host[256] = {0};
  ::gethostname(host, sizeof(host) - 1);
  return host;
}

TEST(ProcessOwner, NamesHostPidAndStart) {
  ManualClock clock(1234);
  EXPECT_EQ(ThisProcessOwner(clock), Host() + ":" + std::to_string(::getpid()) + ":1234");
}

TEST(ProcessOwner, OnlyAProcessOfThisHostThatIsGoneIsDead) {
  ManualClock clock(1);
  EXPECT_FALSE(OwnerIsDeadHere(ThisProcessOwner(clock))) << "this process";
  EXPECT_FALSE(OwnerIsDeadHere(Host() + ":" + std::to_string(::getppid()) + ":1")) << "a live process";
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(OwnerIsDeadHere(Host() + ":" + std::to_string(child) + ":1")) << "a reaped child";
  EXPECT_FALSE(OwnerIsDeadHere("another-host-name:" + std::to_string(child) + ":1")) << "another host: cannot tell";
  for (const char* bad : {"", "nocolon", "::", "host-only:", ":12:1"}) EXPECT_FALSE(OwnerIsDeadHere(bad)) << bad;
  EXPECT_FALSE(OwnerIsDeadHere(Host() + ":12x:1"));
  EXPECT_FALSE(OwnerIsDeadHere(Host() + ":-5:1"));
}

}  // namespace
}  // namespace tajo
