// `inhouse inspect MODEL [--tensors] [--json]`: what a GGUF file holds, from its header.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "gguf/gguf_file.h"
#include "gguf/model_summary.h"
#include "store/model_ref.h"

namespace inhouse::cli {

namespace {

struct InspectArgs {
    std::string model;
    bool tensors = false;
    bool json = false;
};

constexpr std::uint64_t kMaxJsonArrayElements = 64;  // longer arrays are vocabularies

std::string format_shape(const gguf::TensorInfo& tensor) {
    return fmt::format("[{}]", fmt::join(tensor.shape(), ", "));
}

nlohmann::json scalar_to_json(const gguf::Value& value) {
    using gguf::ValueType;
    switch (value.type()) {
        case ValueType::Bool: return *value.as_bool();
        case ValueType::String: return std::string(*value.as_string());
        case ValueType::Float32:
        case ValueType::Float64: return *value.as_float();
        case ValueType::Int8:
        case ValueType::Int16:
        case ValueType::Int32:
        case ValueType::Int64: return *value.as_int();
        default: return *value.as_uint();
    }
}

// Scalars and short numeric arrays; nullopt for vocabularies and other long data.
std::optional<nlohmann::json> value_to_json(const gguf::Value& value) {
    const auto* array = value.as_array();
    if (array == nullptr) return scalar_to_json(value);
    if (array->n_elements > kMaxJsonArrayElements || array->element_type == gguf::ValueType::Array) {
        return std::nullopt;
    }
    auto json = nlohmann::json::array();
    for (std::uint64_t i = 0; i < array->n_elements; ++i) {
        json.push_back(array->element_type == gguf::ValueType::String
                           ? nlohmann::json(std::string(array->strings[i]))
                           : scalar_to_json(array->element(i)));
    }
    return json;
}

std::uint64_t vocab_size(const gguf::GgufFile& file) {
    const auto* tokens = file.get_array("tokenizer.ggml.tokens");
    return tokens ? tokens->n_elements : 0;
}

nlohmann::json to_json(const gguf::GgufFile& file, const gguf::ModelSummary& summary,
                       const InspectArgs& args) {
    nlohmann::json json = {{"path", file.label()},
                           {"gguf_version", file.version()},
                           {"architecture", summary.architecture},
                           {"name", summary.name},
                           {"file_size_bytes", summary.file_size_bytes},
                           {"n_parameters", summary.n_parameters},
                           {"tensor_bytes", summary.tensor_bytes},
                           {"bits_per_weight", summary.bits_per_weight},
                           {"quantization", summary.quantization},
                           {"n_tensors", file.tensors().size()}};
    for (const auto& [type_name, usage] : summary.type_mix) {
        json["type_mix"][type_name] = {{"n_tensors", usage.n_tensors},
                                       {"n_elements", usage.n_elements},
                                       {"size_bytes", usage.size_bytes}};
    }
    const std::string prefix = summary.architecture + ".";
    json["hyperparameters"] = nlohmann::json::object();
    for (const auto& entry : file.metadata()) {
        if (summary.architecture.empty() || !entry.key.starts_with(prefix)) continue;
        if (auto value = value_to_json(entry.value)) json["hyperparameters"][entry.key] = *value;
    }
    json["tokenizer"] = {
        {"model", std::string(file.get_string("tokenizer.ggml.model").value_or(""))},
        {"pre", std::string(file.get_string("tokenizer.ggml.pre").value_or(""))},
        {"vocab_size", vocab_size(file)}};
    json["has_chat_template"] = file.find("tokenizer.chat_template") != nullptr;
    if (args.tensors) {
        json["tensors"] = nlohmann::json::array();
        for (const auto& tensor : file.tensors()) {
            json["tensors"].push_back({{"name", std::string(tensor.name)},
                                       {"type", std::string(gguf::tensor_type_name(tensor.type))},
                                       {"shape", tensor.shape()},
                                       {"size_bytes", tensor.size_bytes},
                                       {"offset", tensor.file_offset}});
        }
    }
    return json;
}

std::string optional_number(const std::optional<std::uint64_t>& value) {
    return value ? std::to_string(*value) : std::string("-");
}

void print_text(const gguf::GgufFile& file, const gguf::ModelSummary& summary,
                const InspectArgs& args) {
    const auto row = [](std::string_view label, const std::string& value) {
        fmt::print("{:<16}{}\n", label, value);
    };
    row("file", fmt::format("{} (GGUF v{})", file.label(), file.version()));
    row("architecture", summary.architecture.empty() ? "-" : summary.architecture);
    row("name", summary.name.empty() ? "-" : summary.name);
    row("file size", fmt::format("{:.1f} MiB ({} bytes)", summary.file_size_bytes / double(1 << 20),
                                 summary.file_size_bytes));
    row("parameters", fmt::format("{:.1f} M ({})", summary.n_parameters / 1e6, summary.n_parameters));
    row("bits/weight", fmt::format("{:.2f}", summary.bits_per_weight));
    row("quantization", summary.quantization.empty() ? "-" : summary.quantization);
    for (const auto& [type_name, usage] : summary.type_mix) {
        row("  " + type_name, fmt::format("{} tensors, {:.1f} MiB", usage.n_tensors,
                                          usage.size_bytes / double(1 << 20)));
    }
    const auto arch_uint = [&](std::string_view suffix) {
        return optional_number(gguf::get_arch_uint(file, suffix));
    };
    row("context length", arch_uint("context_length"));
    row("embedding", arch_uint("embedding_length"));
    row("layers", arch_uint("block_count"));
    row("heads", fmt::format("{} (KV heads {})", arch_uint("attention.head_count"),
                             arch_uint("attention.head_count_kv")));
    row("FFN", arch_uint("feed_forward_length"));
    row("vocab", fmt::format("{} ({}{}{})", vocab_size(file),
                             file.get_string("tokenizer.ggml.model").value_or("-"),
                             file.get_string("tokenizer.ggml.pre") ? ", pre " : "",
                             file.get_string("tokenizer.ggml.pre").value_or("")));
    row("chat template", file.find("tokenizer.chat_template") ? "yes" : "no");
    if (!args.tensors) return;
    fmt::print("\n{:<36} {:<8} {:<18} {:>12} {:>12}\n", "TENSOR", "TYPE", "SHAPE", "BYTES", "OFFSET");
    for (const auto& tensor : file.tensors()) {
        fmt::print("{:<36} {:<8} {:<18} {:>12} {:>#12x}\n", tensor.name,
                   gguf::tensor_type_name(tensor.type), format_shape(tensor), tensor.size_bytes,
                   tensor.file_offset);
    }
}

int run_inspect(const InspectArgs& args) {
    auto opened = store::ModelStore::open(store::ModelStore::default_home());
    if (!opened.ok()) return report_error(opened.error().to_string());
    auto resolved = store::resolve_model(*opened, args.model);
    if (!resolved.ok()) return report_error(resolved.error().to_string());
    auto file = gguf::GgufFile::open(resolved->path);
    if (!file.ok()) return report_error(file.error().to_string());
    const auto summary = gguf::summarize(*file);
    if (args.json) {
        fmt::print("{}\n", to_json(*file, summary, args)
                               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
        print_text(*file, summary, args);
    }
    return kExitOk;
}

}  // namespace

void add_inspect_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<InspectArgs>();
    auto* command = app.add_subcommand("inspect", "Show what a GGUF model file holds");
    command->add_option("model", args->model, "Store name or path to a .gguf file")->required();
    command->add_flag("--tensors", args->tensors, "List every tensor");
    command->add_flag("--json", args->json, "Print JSON (hyperparameters under their GGUF keys)");
    command->callback([args, &action] { action = [args] { return run_inspect(*args); }; });
}

}  // namespace inhouse::cli
