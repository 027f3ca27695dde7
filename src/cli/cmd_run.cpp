// `inhouse run -m MODEL -p PROMPT`: generate text, streamed to stdout, with llama.cpp's flag
// names; timings on stderr.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/command.h"
#include "cli/generation_options.h"
#include "cli/model_loading.h"
#include "engine/chat_prompt.h"
#include "engine/text_generator.h"

namespace inhouse::cli {

namespace {

struct RunArgs {
    std::string model;
    std::string prompt;
    bool chat = false;
    GenerationOptions generation;
};

int run_generate(const RunArgs& args) {
    auto loaded = load_model(args.model, args.generation.memory_request());
    if (!loaded.ok()) return report_error(loaded.error().to_string());
    auto generator = engine::TextGenerator::create(*loaded->model, loaded->tokenizer, args.generation.generator_settings());
    if (!generator.ok()) return report_error(generator.error().to_string());
    std::vector<tokenizer::TokenId> prompt;
    if (args.chat) {
        auto format = engine::load_chat_format(loaded->model->file(), loaded->tokenizer);
        if (!format.ok()) return report_error(format.error().to_string());
        auto built = engine::build_chat_prompt(*format, loaded->tokenizer, {{"user", args.prompt}}, true,
                                               chat::current_local_time());
        if (!built.ok()) return report_error(built.error().to_string());
        prompt = std::move(built->tokens);
    } else {
        prompt = loaded->tokenizer.encode(args.prompt, {.add_special = true, .parse_special = true});
    }
    const auto params = args.generation.sampling_params(loaded->tokenizer);
    const auto stats = (*generator)->generate(prompt, params, [](std::string_view text) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
    });
    if (!stats.ok()) return report_error(stats.error().to_string());
    std::fputc('\n', stdout);
    print_timings(*stats, (*generator)->n_threads());
    return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<RunArgs>();
    auto* command = app.add_subcommand("run", "Generate text from a prompt");
    command->add_option("-m,--model", args->model, "Store name or .gguf path")->required();
    command->add_option("-p,--prompt", args->prompt, "The prompt (special tokens in it are honoured)")->required();
    command->add_flag("--chat", args->chat, "Send the prompt as a user message through the chat template");
    add_generation_options(*command, args->generation);
    command->callback([args, &action] { action = [args] { return run_generate(*args); }; });
}

}  // namespace inhouse::cli
