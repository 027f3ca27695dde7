// `inhouse tokenize` and `inhouse detokenize`: a model's tokenizer, like llama.cpp's
// llama-tokenize, for checking how text becomes tokens.
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/model_loading.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::cli {

namespace {

struct TokenizeArgs {
    std::string model;
    std::optional<std::string> prompt;
    bool pieces = false;
    bool no_bos = false;
    bool parse_special = false;
};

struct DetokenizeArgs {
    std::string model;
    std::optional<std::string> ids;
    bool render_special = false;
};

std::string read_stdin() {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int run_tokenize(const TokenizeArgs& args) {
    auto loaded = load_tokenizer(args.model);
    if (!loaded.ok()) return report_error(loaded.error().to_string());
    const auto& tokenizer = loaded->tokenizer;
    const std::string text = args.prompt ? *args.prompt : read_stdin();
    const auto ids = tokenizer.encode(
        text, {.add_special = !args.no_bos, .parse_special = args.parse_special});
    nlohmann::json json = nlohmann::json::array();
    for (const auto id : ids) {
        if (args.pieces) {
            json.push_back({{"id", id}, {"piece", tokenizer.token_to_piece(id, true)}});
        } else {
            json.push_back(id);
        }
    }
    fmt::print("{}\n", json.dump(args.pieces ? 1 : -1, ' ', false,
                                 nlohmann::json::error_handler_t::replace));
    return kExitOk;
}

// Accepts a JSON array of ids or whitespace/comma-separated integers.
Result<std::vector<tokenizer::TokenId>> parse_ids(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    std::vector<tokenizer::TokenId> ids;
    if (json.is_array()) {
        for (std::size_t i = 0; i < json.size(); ++i) {
            if (!json[i].is_number_integer()) {
                return make_error(ErrorCode::InvalidArgument, "element {} of the id list is not an integer", i);
            }
            ids.push_back(json[i].get<tokenizer::TokenId>());
        }
        return ids;
    }
    std::string token;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : ' ';
        if (c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r' || c == '[' || c == ']') {
            if (token.empty()) continue;
            char* end = nullptr;
            const long value = std::strtol(token.c_str(), &end, 10);
            if (*end != '\0' || value < INT32_MIN || value > INT32_MAX) {
                return make_error(ErrorCode::InvalidArgument, "'{}' is not a token id", token);
            }
            ids.push_back(static_cast<tokenizer::TokenId>(value));
            token.clear();
        } else {
            token.push_back(c);
        }
    }
    return ids;
}

int run_detokenize(const DetokenizeArgs& args) {
    auto loaded = load_tokenizer(args.model);
    if (!loaded.ok()) return report_error(loaded.error().to_string());
    auto ids = parse_ids(args.ids ? *args.ids : read_stdin());
    if (!ids.ok()) return report_error(ids.error().to_string());
    const auto& vocab = loaded->tokenizer.vocab();
    for (std::size_t i = 0; i < ids->size(); ++i) {
        if (!vocab.contains((*ids)[i])) {
            return report_error(fmt::format("token id {} (position {}) is outside the vocabulary "
                                            "of {} tokens", (*ids)[i], i, vocab.size()));
        }
    }
    fmt::print("{}", loaded->tokenizer.decode(*ids, {.render_special = args.render_special}));
    return kExitOk;
}

}  // namespace

void add_tokenize_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<TokenizeArgs>();
    auto* command = app.add_subcommand("tokenize", "Print the token ids of text (stdin or -p)");
    command->add_option("-m,--model", args->model, "Store name or .gguf path")->required();
    command->add_option("-p,--prompt", args->prompt, "Text to tokenize (default: stdin)");
    command->add_flag("--pieces", args->pieces, "Show each token's text");
    command->add_flag("--no-bos", args->no_bos, "Do not add BOS/EOS");
    command->add_flag("--parse-special", args->parse_special,
                      "Match control tokens written in the text (e.g. <|im_start|>)");
    command->callback([args, &action] { action = [args] { return run_tokenize(*args); }; });
}

void add_detokenize_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<DetokenizeArgs>();
    auto* command = app.add_subcommand("detokenize", "Print the text of token ids (stdin or -p)");
    command->add_option("-m,--model", args->model, "Store name or .gguf path")->required();
    command->add_option("-p,--prompt", args->ids, "Ids as a JSON array or separated by spaces");
    command->add_flag("--special", args->render_special, "Render control tokens as text");
    command->callback([args, &action] { action = [args] { return run_detokenize(*args); }; });
}

}  // namespace inhouse::cli
