// Runs a program, optionally with a changed environment and some stdin, and captures its exit
// code, stdout and stderr: for end-to-end CLI tests.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace secpilot::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct RunOptions {
  // Changes to the inherited environment: "NAME=value" sets a variable, "NAME" removes it.
  std::vector<std::string> env;
  // What the program reads on stdin (default: nothing, as from /dev/null).
  std::string input;
};

// The current environment with `changes` applied (see RunOptions::env).
inline std::vector<std::string> changed_environment(const std::vector<std::string>& changes) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry)
    env.emplace_back(*entry);
  for (const auto& change : changes) {
    const auto equals = change.find('=');
    const std::string prefix = change.substr(0, equals) + "=";
    std::erase_if(env, [&](const std::string& item) { return item.rfind(prefix, 0) == 0; });
    if (equals != std::string::npos) env.push_back(change);
  }
  return env;
}

inline RunResult run(const std::vector<std::string>& args, const RunOptions& options = {}) {
  TempDir temp;
  const auto out_path = temp / "stdout";
  const auto err_path = temp / "stderr";
  const auto in_path = temp / "stdin";
  write_file(in_path, options.input);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::vector<char*> argv;
  for (const auto& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const auto env = changed_environment(options.env);
  std::vector<char*> envp;
  for (const auto& item : env)
    envp.push_back(const_cast<char*>(item.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  RunResult result;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&actions);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

}  // namespace secpilot::testing
