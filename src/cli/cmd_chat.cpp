// `inhouse chat -m MODEL`: an interactive multi-turn chat through the model's own template.
// Ctrl-C stops the answer being written; Ctrl-D leaves.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/generation_options.h"
#include "cli/model_loading.h"
#include "engine/chat_prompt.h"
#include "engine/text_generator.h"

namespace inhouse::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

struct ChatArgs {
    std::string model;
    std::string system_prompt;
    GenerationOptions generation;
};

int run_chat(const ChatArgs& args) {
    auto loaded = load_model(args.model, args.generation.memory_request());
    if (!loaded.ok()) return report_error(loaded.error().to_string());
    auto format = engine::load_chat_format(loaded->model->file(), loaded->tokenizer);
    if (!format.ok()) return report_error(format.error().to_string());
    auto generator = engine::TextGenerator::create(*loaded->model, loaded->tokenizer, args.generation.generator_settings());
    if (!generator.ok()) return report_error(generator.error().to_string());
    const auto params = args.generation.sampling_params(loaded->tokenizer);

    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);

    std::vector<chat::ChatMessage> messages;
    if (!args.system_prompt.empty()) messages.push_back({"system", args.system_prompt});
    fmt::print(stderr, "chatting with {} (context {} tokens). Ctrl-C stops an answer, Ctrl-D leaves.\n",
               args.model, (*generator)->n_ctx());
    std::string line;
    for (;;) {
        fmt::print("> ");
        std::fflush(stdout);
        g_interrupted.store(false);
        if (!std::getline(std::cin, line)) {
            if (g_interrupted.load() && !std::cin.eof()) {  // Ctrl-C while typing: a fresh line
                std::cin.clear();
                std::fputc('\n', stdout);
                continue;
            }
            break;  // Ctrl-D
        }
        if (line.empty()) continue;
        messages.push_back({"user", line});
        auto prompt = engine::build_chat_prompt(*format, loaded->tokenizer, messages, true, chat::current_local_time());
        if (!prompt.ok()) {
            messages.pop_back();
            report_error(prompt.error().to_string());
            continue;
        }
        std::string answer;
        const auto stats = (*generator)->generate(prompt->tokens, params, [&](std::string_view text) {
            answer += text;
            std::fwrite(text.data(), 1, text.size(), stdout);
            std::fflush(stdout);
        }, &g_interrupted);
        std::fputc('\n', stdout);
        if (!stats.ok()) {
            messages.pop_back();
            report_error(stats.error().to_string());
            continue;
        }
        messages.push_back({"assistant", answer});
        print_timings(*stats, (*generator)->n_threads());
    }
    std::fputc('\n', stdout);
    return kExitOk;
}

}  // namespace

void add_chat_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<ChatArgs>();
    auto* command = app.add_subcommand("chat", "Chat with a model interactively");
    command->add_option("-m,--model", args->model, "Store name or .gguf path")->required();
    command->add_option("--system", args->system_prompt, "A system message to start with");
    add_generation_options(*command, args->generation);
    command->callback([args, &action] { action = [args] { return run_chat(*args); }; });
}

}  // namespace inhouse::cli
