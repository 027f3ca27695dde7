// `inhouse synth SHAPE:QUANT -o FILE`: a GGUF with random weights in a catalog model's shape
// and a recipe's tensor mix (for benchmarks before any download); `--list` shows the catalog.
#include <fmt/format.h>

#include <filesystem>

#include "catalog/synthetic_model.h"
#include "cli/command.h"
#include "cli/synthetic_spec.h"

namespace inhouse::cli {

Result<SyntheticSpec> parse_synthetic_spec(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        return make_error(ErrorCode::InvalidArgument, "'{}' is not SHAPE:QUANT (for example llama-2-7b:Q4_K_M)", text);
    }
    INHOUSE_ASSIGN_OR_RETURN(const catalog::ModelShape* shape, catalog::find_model_shape(text.substr(0, colon)));
    INHOUSE_ASSIGN_OR_RETURN(catalog::QuantRecipe recipe, catalog::find_quant_recipe(text.substr(colon + 1)));
    return SyntheticSpec{.shape = shape, .recipe = std::move(recipe)};
}

namespace {

struct SynthArgs {
    std::string spec;
    std::string output;
    bool list = false;
};

int run_synth(const SynthArgs& args) {
    if (args.list) {
        fmt::print("{:16} {:20} {:>9} {:>7} {:>6} {:>8}  {}\n", "name", "model", "params", "layers", "embd", "vocab",
                   "source");
        for (const auto& shape : catalog::model_catalog()) {
            fmt::print("{:16} {:20} {:>8.2f}B {:>7} {:>6} {:>8}  {}\n", shape.name, shape.display,
                       static_cast<double>(shape.parameter_count()) / 1e9, shape.n_layers, shape.n_embd,
                       shape.n_vocab, shape.source);
        }
        return kExitOk;
    }
    if (args.spec.empty() || args.output.empty()) return report_error("give SHAPE:QUANT and -o FILE (or --list)");
    auto spec = parse_synthetic_spec(args.spec);
    if (!spec.ok()) return report_error(spec.error().to_string());
    const auto status = catalog::write_synthetic_model(*spec->shape, spec->recipe, args.output);
    if (!status.ok()) return report_error(status.error().to_string());
    fmt::print(stderr, "wrote {} ({:.1f} MiB): synthetic {} {}, random weights\n", args.output,
               static_cast<double>(std::filesystem::file_size(args.output)) / (1024.0 * 1024.0), spec->shape->display,
               spec->recipe.name);
    return kExitOk;
}

}  // namespace

void add_synth_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<SynthArgs>();
    auto* command = app.add_subcommand("synth", "Write a random-weight GGUF in the shape of a well-known model");
    command->add_option("spec", args->spec, "SHAPE:QUANT, e.g. llama-2-7b:Q4_K_M (see --list)");
    command->add_option("-o,--output", args->output, "The .gguf file to write");
    command->add_flag("--list", args->list, "List the model shapes of the catalog");
    command->callback([args, &action] { action = [args] { return run_synth(*args); }; });
}

}  // namespace inhouse::cli
