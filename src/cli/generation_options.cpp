#include "cli/generation_options.h"

#include <fmt/format.h>

#include "cli/kv_cache_option.h"

#include <charconv>

namespace inhouse::cli {

engine::GeneratorSettings GenerationOptions::generator_settings() const {
    return engine::GeneratorSettings{.n_ctx = n_ctx, .n_threads = n_threads, .kv_type = kv_type};
}

MemoryRequest GenerationOptions::memory_request() const {
    const engine::GeneratorSettings settings = generator_settings();
    return {.n_ctx = n_ctx, .n_parallel = 1, .n_batch = settings.n_batch, .n_threads = n_threads, .kv_type = kv_type};
}

sampling::SamplingParams GenerationOptions::sampling_params(const tokenizer::Tokenizer& tokenizer) const {
    sampling::SamplingParams params;
    params.temperature = temperature;
    params.top_k = top_k;
    params.top_p = top_p;
    params.min_p = min_p;
    params.repetition_penalty = repeat_penalty;
    params.penalty_last_n = repeat_last_n;
    params.presence_penalty = presence_penalty;
    params.frequency_penalty = frequency_penalty;
    params.seed = seed;
    params.stop = stop;
    if (n_predict >= 0) params.max_tokens = n_predict;
    params.end_of_generation_ids = tokenizer.vocab().special().end_of_generation;
    return params;
}

void add_generation_options(CLI::App& command, GenerationOptions& options) {
    command.add_option("-n,--n-predict", options.n_predict, "Tokens to generate (-1: until the model stops)")
        ->check([](const std::string& text) -> std::string {
            int value = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            const bool valid = error == std::errc() && end == text.data() + text.size() && (value == -1 || value >= 1);
            return valid ? std::string() : "must be -1 (until the model stops) or a positive count";
        });
    command.add_option("-c,--ctx-size", options.n_ctx, "Context length (0: the model's, capped by memory)");
    command.add_option("-t,--threads", options.n_threads, "Threads (0: every core)");
    add_kv_cache_type_option(command, options.kv_type);
    command.add_option("--temp", options.temperature, "Temperature; 0 is greedy")->check(CLI::Range(0.0f, 100.0f));
    command.add_option("--top-k", options.top_k, "Keep the k most likely tokens (0: off)");
    command.add_option("--top-p", options.top_p, "Nucleus sampling threshold (1: off)");
    command.add_option("--min-p", options.min_p, "Drop tokens below min-p × the best (0: off)");
    command.add_option("--repeat-penalty", options.repeat_penalty, "Penalty for repeated tokens (1: off)");
    command.add_option("--repeat-last-n", options.repeat_last_n, "Window of the repeat penalty");
    command.add_option("--presence-penalty", options.presence_penalty, "OpenAI presence penalty");
    command.add_option("--frequency-penalty", options.frequency_penalty, "OpenAI frequency penalty");
    command.add_option("-s,--seed", options.seed, "Seed for reproducible sampling");
    command.add_option("--stop", options.stop, "Stop when this text is generated (repeatable)");
}

void print_timings(const engine::GenerationStats& stats, int n_threads) {
    const auto rate = [](std::int64_t n, double seconds) { return seconds > 0 ? n / seconds : 0.0; };
    fmt::print(stderr,
               "prompt: {} tokens ({} cached) in {:.2f} s, {:.1f} tok/s | generation: {} tokens in "
               "{:.2f} s, {:.1f} tok/s | {} threads\n",
               stats.n_prompt_tokens, stats.n_cached_tokens, stats.prompt_seconds,
               rate(stats.n_prompt_tokens, stats.prompt_seconds), stats.n_generated_tokens,
               stats.generation_seconds, rate(stats.n_generated_tokens, stats.generation_seconds), n_threads);
}

}  // namespace inhouse::cli
