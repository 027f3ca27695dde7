// inhouse: plan, run and serve open-weight LLMs on your own machines.
#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "core/log.h"

namespace inhouse::cli {

int report_error(const std::string& message) {
    fmt::print(stderr, "error: {}\n", message);
    return kExitFailure;
}

}  // namespace inhouse::cli

int main(int argc, char** argv) {
    using namespace inhouse::cli;
    CLI::App app{"inhouse: run open-weight LLMs on your own servers; nothing leaves the machine.",
                 "inhouse"};
    app.set_version_flag("--version", "inhouse 0.1.0");
    app.require_subcommand(1);
    GlobalOptions global;
    app.add_flag("-v,--verbose", global.verbose, "Log more detail to stderr");

    Action action;
    add_inspect_command(app, action);
    add_pull_command(app, action);
    add_list_command(app, action);
    add_rm_command(app, action);
    add_tokenize_command(app, action);
    add_detokenize_command(app, action);
    add_run_command(app, action);
    add_chat_command(app, action);
    add_bench_command(app, action);
    add_synth_command(app, action);
    add_plan_command(app, action);
    add_keys_command(app, action);
    add_usage_command(app, action);
    add_serve_command(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    }
    inhouse::init_logging(global.verbose);
    try {
        return action ? action() : kExitUsage;
    } catch (const std::exception& error) {
        // Our code returns errors; this catches what a library might still throw.
        return report_error(fmt::format("unexpected failure: {}", error.what()));
    }
}
