// Tokenizer throughput: encodes one text file with a model's tokenizer several times and
// prints the median as JSON. bench/tokenizer/compare_llamacpp.py runs it beside llama.cpp.
//   tokenize_speed MODEL.gguf TEXT_FILE [REPETITIONS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

int main(int argc, char** argv) {
    using namespace inhouse;
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.gguf TEXT_FILE [REPETITIONS]\n", argv[0]);
        return 2;
    }
    const int repetitions = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    auto file = gguf::GgufFile::open(argv[1]);
    if (!file.ok()) {
        std::fprintf(stderr, "error: %s\n", file.error().to_string().c_str());
        return 1;
    }
    const auto load_start = std::chrono::steady_clock::now();
    auto tokenizer = tokenizer::Tokenizer::load(*file);
    const double load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
    if (!tokenizer.ok()) {
        std::fprintf(stderr, "error: %s\n", tokenizer.error().to_string().c_str());
        return 1;
    }
    std::ifstream stream(argv[2], std::ios::binary);
    std::stringstream buffer;
    buffer << stream.rdbuf();
    const std::string text = buffer.str();

    std::vector<double> seconds;
    std::size_t n_tokens = 0;
    tokenizer->encode(text.substr(0, 4096));  // warm-up
    for (int i = 0; i < repetitions; ++i) {
        const auto start = std::chrono::steady_clock::now();
        n_tokens = tokenizer->encode(text, {.add_special = false}).size();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf("{\"bytes\": %zu, \"tokens\": %zu, \"median_seconds\": %.6f, "
                "\"tokens_per_second\": %.0f, \"vocab_load_seconds\": %.4f}\n",
                text.size(), n_tokens, median, n_tokens / median, load_seconds);
    return 0;
}
