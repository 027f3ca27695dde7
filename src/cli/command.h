// Each subcommand lives in its own cmd_<verb>.cpp and registers itself on the CLI11 app; its
// action returns the process exit code.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace inhouse::cli {

struct GlobalOptions {
    bool verbose = false;
};

using Action = std::function<int()>;

void add_inspect_command(CLI::App& app, Action& action);
void add_pull_command(CLI::App& app, Action& action);
void add_list_command(CLI::App& app, Action& action);
void add_rm_command(CLI::App& app, Action& action);
void add_tokenize_command(CLI::App& app, Action& action);
void add_detokenize_command(CLI::App& app, Action& action);
void add_run_command(CLI::App& app, Action& action);
void add_chat_command(CLI::App& app, Action& action);
void add_bench_command(CLI::App& app, Action& action);
void add_synth_command(CLI::App& app, Action& action);
void add_serve_command(CLI::App& app, Action& action);
void add_plan_command(CLI::App& app, Action& action);
void add_keys_command(CLI::App& app, Action& action);
void add_usage_command(CLI::App& app, Action& action);

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Prints "error: ..." to stderr and returns kExitFailure.
int report_error(const std::string& message);

}  // namespace inhouse::cli
